package yarnclient_test

import (
	"context"
	"errors"
	"net"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// TestParallelCallsReuseConnections: 16 calls at a time, the capacity controller's RM
// writes, go over 16 connections, not a new one per call once net/http's default of 2 idle
// connections per host is exceeded (with HTTPS, each a TLS handshake).
func TestParallelCallsReuseConnections(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	var dialled atomic.Int64
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if !info.Reused {
				dialled.Add(1)
			}
		},
	})
	const parallel, rounds = 16, 20
	for range rounds {
		var wg sync.WaitGroup
		for range parallel {
			wg.Go(func() {
				if _, err := c.GetNode(ctx, nodeA); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n := dialled.Load(); n > parallel {
		t.Fatalf("%d calls, %d at a time, opened %d connections; want at most %d", parallel*rounds, parallel, n, parallel)
	} else {
		t.Logf("%d calls, %d at a time, opened %d connections", parallel*rounds, parallel, n)
	}
}

// TestCloseEndsIdleConnections: Close ends the client's idle connections, through the
// response-size cap that wraps the transport, so a dropped pool leaves no connection (and no
// goroutines) behind.
func TestCloseEndsIdleConnections(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	var mu sync.Mutex
	var conns []net.Conn
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			mu.Lock()
			defer mu.Unlock()
			conns = append(conns, info.Conn)
		},
	})
	if _, err := c.GetNode(ctx, nodeA); err != nil {
		t.Fatal(err)
	}
	open := func() (n int) {
		mu.Lock()
		defer mu.Unlock()
		for _, conn := range conns {
			// A deadline an hour away changes nothing on a live connection; a closed one refuses it.
			if err := conn.SetReadDeadline(time.Now().Add(time.Hour)); !errors.Is(err, net.ErrClosed) {
				n++
			}
		}
		return n
	}
	// The connection returns to the idle pool just after the body is read: close until it is gone.
	deadline := time.Now().Add(2 * time.Second)
	for c.Close(); open() > 0; c.Close() {
		if time.Now().After(deadline) {
			t.Fatalf("%d connection(s) still open after Close", open())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

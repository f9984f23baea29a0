package yarnclient_test

import (
	"context"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"

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

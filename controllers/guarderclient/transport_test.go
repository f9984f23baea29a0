package guarderclient

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
)

// manyGuarders serves the real guarder API on every loopback address of one port, as
// test/scale does: pod i is at 127.1.x.y. open counts the connections not yet closed.
type manyGuarders struct {
	port int
	mu   sync.Mutex
	open map[net.Conn]bool
}

func startManyGuarders(t testing.TB) *manyGuarders {
	t.Helper()
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	g := &manyGuarders{port: l.Addr().(*net.TCPAddr).Port, open: map[net.Conn]bool{}}
	srv := api.NewServer("", api.NewHandler(api.Config{Controller: &recordingWorker{}, Registry: prometheus.NewRegistry(), Log: logr.Discard()}))
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		g.mu.Lock()
		defer g.mu.Unlock()
		switch s {
		case http.StateNew:
			g.open[c] = true
		case http.StateClosed, http.StateHijacked:
			delete(g.open, c)
		}
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return g
}

func (g *manyGuarders) pod(i int) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "nm-" + strconv.Itoa(i), Namespace: "yarn"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: ContainerName, Ports: []corev1.ContainerPort{{Name: PortName, ContainerPort: int32(g.port)}}},
		}},
		Status: corev1.PodStatus{PodIP: fmt.Sprintf("127.1.%d.%d", i/250, 1+i%250)},
	}
}

func (g *manyGuarders) openConns() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.open)
}

// TestGuarderCallsLeaveNoConnectionsOpen: each guarder is its own host, called far apart, so
// no connection is kept after its answer (see sharedHTTP). net/http's default transport
// would keep up to 100 idle, each with two goroutines and 8 KiB of buffers.
func TestGuarderCallsLeaveNoConnectionsOpen(t *testing.T) {
	g := startManyGuarders(t)
	c := &Client{}
	const guarders = 300
	for i := range guarders {
		if _, err := c.Version(context.Background(), g.pod(i)); err != nil {
			t.Fatalf("guarder %d: %v", i, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for g.openConns() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := g.openConns(); n > 0 {
		t.Fatalf("%d of %d guarder connections still open after the calls", n, guarders)
	}
}

// BenchmarkVersionOfManyGuarders measures what one call to one of many guarders allocates,
// through the shared client and through a client on net/http's default transport (the
// operator's client before). The allocations include the connection's buffers.
//
//	go test ./controllers/guarderclient -run '^$' -bench VersionOfManyGuarders -benchmem
func BenchmarkVersionOfManyGuarders(b *testing.B) {
	g := startManyGuarders(b)
	for _, bc := range []struct {
		name string
		http *http.Client
	}{
		{"shared", nil},
		{"default-transport", &http.Client{Timeout: callTimeout}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := &Client{HTTP: bc.http}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := c.Version(context.Background(), g.pod(i%1000)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

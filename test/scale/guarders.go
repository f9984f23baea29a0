package scale

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// guarders serves the REAL guarder HTTP API (guarder/api, with its bearer-token check) for
// every NodeManager pod from one listener: each pod's address is a distinct 127.1.x.y, so the
// local address of a connection says which pod's guarder was called. The scale run has no
// YARN containers, so each guarder only records its target; what the run measures is the
// operator's side: how many targets it sends and that every call succeeds.
type guarders struct {
	c           client.Reader
	tokenSecret client.ObjectKey
	tokenPath   string
	log         logr.Logger
	port        int
	server      *http.Server

	mu       sync.Mutex
	byAddr   map[string]http.Handler
	targets  map[string]worker.Target
	setCalls atomic.Int64
}

// startGuarders listens on all addresses of a free port (every 127.1.x.y reaches it) and
// refuses connections from anywhere but loopback.
func startGuarders(ctx context.Context, c client.Reader, pool *v1alpha1.ElasticNodeManager, dir string, log logr.Logger) (*guarders, error) {
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return nil, err
	}
	g := &guarders{c: c, tokenSecret: client.ObjectKey{Namespace: pool.Namespace, Name: podspec.GuarderTokenSecretName(pool)}, tokenPath: filepath.Join(dir, "guarder-token"), log: log,
		port: l.Addr().(*net.TCPAddr).Port, byAddr: map[string]http.Handler{}, targets: map[string]worker.Target{}}
	g.server = api.NewServer("", http.HandlerFunc(g.route))
	go func() { _ = g.server.Serve(l) }()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = g.server.Shutdown(sctx)
	}()
	return g, nil
}

func (g *guarders) route(w http.ResponseWriter, r *http.Request) {
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if ip := net.ParseIP(remote); ip == nil || !ip.IsLoopback() || !ok {
		http.Error(w, "loopback only", http.StatusForbidden)
		return
	}
	addr, _, _ := net.SplitHostPort(local.String())
	h, err := g.handlerFor(r.Context(), addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	h.ServeHTTP(w, r)
}

func (g *guarders) handlerFor(ctx context.Context, addr string) (http.Handler, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if h, ok := g.byAddr[addr]; ok {
		return h, nil
	}
	if err := g.ensureToken(ctx); err != nil {
		return nil, err
	}
	h := api.NewHandler(api.Config{Controller: &recordingGuarder{addr: addr, g: g}, Token: api.NewTokenFile(g.tokenPath), Log: g.log})
	g.byAddr[addr] = h
	return h, nil
}

// ensureToken copies the pool's guarder token from its Secret to the file the API reads, as
// the Secret volume mounts it in a real pod. Called with g.mu held.
func (g *guarders) ensureToken(ctx context.Context) error {
	if _, err := os.Stat(g.tokenPath); err == nil {
		return nil
	}
	var s corev1.Secret
	if err := g.c.Get(ctx, g.tokenSecret, &s); err != nil {
		return fmt.Errorf("guarder token: %w", err)
	}
	return os.WriteFile(g.tokenPath, s.Data[guarderclient.TokenKey], 0o600)
}

// calls is how many targets the operator has sent in all.
func (g *guarders) calls() int64 { return g.setCalls.Load() }

// recordingGuarder is one pod's guarder: a target and nothing to shed.
type recordingGuarder struct {
	addr string
	g    *guarders
}

func (r *recordingGuarder) SetTarget(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	r.g.setCalls.Add(1)
	r.g.mu.Lock()
	r.g.targets[r.addr] = t
	r.g.mu.Unlock()
	return worker.PlanReport{Target: t, DecidedAt: time.Now()}, nil
}

func (r *recordingGuarder) Preview(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	return worker.PlanReport{Target: t, DecidedAt: time.Now()}, nil
}

func (r *recordingGuarder) LastPlan() (worker.PlanReport, bool) { return worker.PlanReport{}, false }

func (r *recordingGuarder) CurrentTarget() (worker.Target, bool) {
	r.g.mu.Lock()
	defer r.g.mu.Unlock()
	t, ok := r.g.targets[r.addr]
	return t, ok
}

func (r *recordingGuarder) Containers() []worker.ContainerView { return nil }
func (r *recordingGuarder) Ready() bool                        { return true }

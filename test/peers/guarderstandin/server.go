package guarderstandin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// Options configure a Server.
type Options struct {
	// RM is the emulator whose containers the stand-ins shed.
	RM *rmemulator.Emulator
	// Reader reads the pools' guarder token Secrets.
	Reader client.Reader
	// Dir holds the token files, as the Secret volume would mount them.
	Dir string
	Log logr.Logger
	// SharedPort listens once on all addresses of a free port (Port) and serves every pod
	// whose guarder port is that one: for runs with thousands of pods, whose pool's
	// spec.guarder.port is set to Port. Otherwise the Server listens on each pod's own
	// address and guarder port.
	SharedPort bool
	// Replay is how often each stand-in re-runs its stored target, as the real guarder's
	// loop does; zero never re-runs (a run without YARN containers has nothing to shed).
	// Graceful exits are finished every second either way.
	Replay time.Duration
}

// Server serves the guarder API of every NodeManager pod it was told about (Serve), routing
// each connection by the local address it arrived on: each pod's address is a distinct
// loopback address. Connections from anywhere but loopback are refused.
type Server struct {
	opt    Options
	http   *http.Server
	port   int // the shared port, or 0
	calls  atomic.Int64
	cancel context.CancelFunc

	mu      sync.Mutex
	byAddr  map[string]*podGuarder // by pod IP
	byPod   map[types.UID]*podGuarder
	sheds   map[string]*ShedCounts // by pool
	started map[string]bool        // pools whose token file is written
}

// podGuarder is one pod's guarder: its stand-in, its API handler (built on the first call,
// once the token Secret exists) and, without a shared port, its own listener.
type podGuarder struct {
	addr     string
	pool     *v1alpha1.ElasticNodeManager
	podName  string
	standin  *standin
	handler  http.Handler
	listener net.Listener
}

// Start starts the Server; it stops when ctx ends.
func Start(ctx context.Context, opt Options) (*Server, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &Server{opt: opt, cancel: cancel, byAddr: map[string]*podGuarder{}, byPod: map[types.UID]*podGuarder{},
		sheds: map[string]*ShedCounts{}, started: map[string]bool{}}
	s.http = api.NewServer("", http.HandlerFunc(s.route))
	if opt.SharedPort {
		l, err := net.Listen("tcp", ":0")
		if err != nil {
			cancel()
			return nil, err
		}
		s.port = l.Addr().(*net.TCPAddr).Port
		go func() { _ = s.http.Serve(l) }()
	}
	go s.loop(ctx)
	go func() {
		<-ctx.Done()
		sctx, stop := context.WithTimeout(context.Background(), 2*time.Second)
		defer stop()
		if s.http.Shutdown(sctx) != nil {
			_ = s.http.Close()
		}
	}()
	return s, nil
}

// Port is the shared port (Options.SharedPort), to set as the pool's spec.guarder.port.
func (s *Server) Port() int { return s.port }

// Calls is how many targets the operator has sent in all.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Sheds returns a copy of the pool's shed counts.
func (s *Server) Sheds(pool string) ShedCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.sheds[pool]; ok {
		return *c
	}
	return ShedCounts{}
}

// Serve starts the guarder of pod, a NodeManager of pool registered as nodeID. A pod without
// a guarder (spec.guarder.enabled false) has nothing to serve.
func (s *Server) Serve(pod *corev1.Pod, pool *v1alpha1.ElasticNodeManager, nodeID string) error {
	endpoint, err := guarderclient.Endpoint(pod)
	if err != nil {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	g := &podGuarder{addr: u.Hostname(), pool: pool, podName: pod.Name}
	g.standin = newStandin(s.opt.RM, nodeID, func(graceful bool) { s.countShed(pool.Name, graceful) })
	if port, _ := strconv.Atoi(u.Port()); !s.opt.SharedPort || port != s.port {
		if g.listener, err = net.Listen("tcp", u.Host); err != nil {
			return fmt.Errorf("guarder stand-in on %s: %w", u.Host, err)
		}
		go func() { _ = s.http.Serve(g.listener) }()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byAddr[g.addr] = g
	s.byPod[pod.UID] = g
	return nil
}

// Stop stops the guarder of the pod with uid.
func (s *Server) Stop(uid types.UID) {
	s.mu.Lock()
	g, ok := s.byPod[uid]
	delete(s.byPod, uid)
	if ok && s.byAddr[g.addr] == g {
		delete(s.byAddr, g.addr)
	}
	s.mu.Unlock()
	if ok && g.listener != nil {
		_ = g.listener.Close()
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if ip := net.ParseIP(remote); ip == nil || !ip.IsLoopback() || !ok {
		http.Error(w, "loopback only", http.StatusForbidden)
		return
	}
	addr, _, _ := net.SplitHostPort(local.String())
	h, err := s.handlerFor(r.Context(), addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	h.ServeHTTP(w, r)
}

func (s *Server) handlerFor(ctx context.Context, addr string) (http.Handler, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.byAddr[addr]
	if !ok {
		return nil, fmt.Errorf("no NodeManager pod at %s", addr)
	}
	if g.handler != nil {
		return g.handler, nil
	}
	path, err := s.tokenFile(ctx, g.pool)
	if err != nil {
		return nil, err
	}
	g.handler = api.NewHandler(api.Config{Controller: countingController{g.standin, &s.calls}, Token: api.NewTokenFile(path),
		Registry: prometheus.NewRegistry(), Log: s.opt.Log.WithValues("guarder", g.podName)})
	return g.handler, nil
}

// tokenFile copies the pool's guarder token from its Secret to the file the API reads, as the
// Secret volume mounts it in a real pod. Called with s.mu held.
func (s *Server) tokenFile(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (string, error) {
	path := filepath.Join(s.opt.Dir, "guarder-token-"+pool.Namespace+"-"+pool.Name)
	if s.started[path] {
		return path, nil
	}
	var secret corev1.Secret
	key := client.ObjectKey{Namespace: pool.Namespace, Name: podspec.GuarderTokenSecretName(pool)}
	if err := s.opt.Reader.Get(ctx, key, &secret); err != nil {
		return "", fmt.Errorf("guarder token: %w", err)
	}
	if err := os.WriteFile(path, secret.Data[guarderclient.TokenKey], 0o600); err != nil {
		return "", err
	}
	s.started[path] = true
	return path, nil
}

func (s *Server) countShed(pool string, graceful bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.sheds[pool]
	if !ok {
		c = &ShedCounts{}
		s.sheds[pool] = c
	}
	if graceful {
		c.Graceful++
	} else {
		c.Forced++
	}
}

// loop finishes graceful exits every second and, every Replay, re-runs each stand-in's
// stored target, until ctx ends.
func (s *Server) loop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	next := time.Now().Add(s.opt.Replay)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			replay := s.opt.Replay > 0 && !now.Before(next)
			if replay {
				next = now.Add(s.opt.Replay)
			}
			for _, g := range s.guarders() {
				g.standin.tick(now)
				if replay {
					_, _ = g.standin.cycle(now, false)
				}
			}
		}
	}
}

func (s *Server) guarders() []*podGuarder {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*podGuarder, 0, len(s.byPod))
	for _, g := range s.byPod {
		out = append(out, g)
	}
	return out
}

// countingController counts the targets the operator sends.
type countingController struct {
	*standin
	calls *atomic.Int64
}

func (c countingController) SetTarget(ctx context.Context, t worker.Target) (worker.PlanReport, error) {
	c.calls.Add(1)
	return c.standin.SetTarget(ctx, t)
}

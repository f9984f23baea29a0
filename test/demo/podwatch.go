package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// nmPod is what the demo runs for one NodeManager pod in place of its containers.
type nmPod struct {
	pool, node, nodeID string
	registered         bool
	standin            *standin
	server             *http.Server
	cancel             context.CancelFunc
}

// podWatcher stands in for what runs inside NodeManager pods, which kwok does not run. Every
// second it lists the pods labelled elasticyarn.io/pool and, for each:
//   - Running with an IP: registers the NodeManager with the RM emulator (node agent) and
//     serves the real guarder API on <pod IP>:<guarder port> (guarder stand-in);
//   - terminating or gone: unregisters it (state SHUTDOWN, as an NM that exits on SIGTERM) and
//     stops its guarder.
type podWatcher struct {
	c   client.Client
	rm  *rmemulator.Emulator
	dir string
	log logr.Logger

	mu    sync.Mutex
	pods  map[string]*nmPod // by pod UID
	sheds map[string]*ShedCounts
}

func newPodWatcher(c client.Client, rm *rmemulator.Emulator, dir string, log logr.Logger) *podWatcher {
	return &podWatcher{c: c, rm: rm, dir: dir, log: log, pods: map[string]*nmPod{}, sheds: map[string]*ShedCounts{}}
}

// run polls until ctx ends, then stops every guarder stand-in.
func (w *podWatcher) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if err := w.sync(ctx); err != nil && ctx.Err() == nil {
			w.log.Info("pod sync failed", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			w.stopAll(func(string) bool { return true })
			return
		case <-t.C:
		}
	}
}

// stopAll stops the stand-ins of the pods that gone reports gone, outside the lock (a server
// shutdown waits for handlers, which take the lock to count sheds).
func (w *podWatcher) stopAll(gone func(uid string) bool) {
	w.mu.Lock()
	stale := map[string]*nmPod{}
	for uid, p := range w.pods {
		if gone(uid) {
			stale[uid] = p
			delete(w.pods, uid)
		}
	}
	w.mu.Unlock()
	for _, p := range stale {
		w.stop(p)
	}
}

func (w *podWatcher) sync(ctx context.Context) error {
	var pods corev1.PodList
	if err := w.c.List(ctx, &pods, client.InNamespace(Namespace), client.HasLabels{v1alpha1.LabelPool}); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range pods.Items {
		pod := &pods.Items[i]
		uid := string(pod.UID)
		if pod.DeletionTimestamp != nil || pod.Status.Phase != corev1.PodRunning || pod.Status.PodIP == "" {
			continue
		}
		seen[uid] = true
		w.mu.Lock()
		_, known := w.pods[uid]
		w.mu.Unlock()
		if !known {
			if err := w.start(ctx, pod); err != nil {
				w.log.Info("NodeManager stand-in not started yet", "pod", pod.Name, "error", err.Error())
			}
		}
	}
	w.stopAll(func(uid string) bool { return !seen[uid] })
	return nil
}

// start registers the pod's NodeManager and serves its guarder stand-in.
func (w *podWatcher) start(ctx context.Context, pod *corev1.Pod) error {
	pool := pod.Labels[v1alpha1.LabelPool]
	var enm v1alpha1.ElasticNodeManager
	if err := w.c.Get(ctx, client.ObjectKey{Namespace: pod.Namespace, Name: pool}, &enm); err != nil {
		return err
	}
	spec, err := NodeManagerSpec(pod, &enm)
	if err != nil {
		return err
	}
	p := &nmPod{pool: pool, node: pod.Spec.NodeName, nodeID: spec.ID()}
	if p.node == "" {
		p.node = pod.Labels[v1alpha1.LabelNode]
	}
	if endpoint, err := guarderclient.Endpoint(pod); err == nil {
		if err := w.serveGuarder(ctx, pod, endpoint, p); err != nil {
			return err
		}
	}
	if _, err := w.rm.RegisterNode(spec); err != nil {
		w.stop(p)
		return fmt.Errorf("registering %s: %w", spec.ID(), err)
	}
	p.registered = true
	w.mu.Lock()
	w.pods[string(pod.UID)] = p
	w.mu.Unlock()
	w.log.Info("NodeManager registered", "pod", pod.Name, "nodeId", spec.ID(), "vcores", spec.Capacity.VCores)
	return nil
}

// serveGuarder serves the real guarder API for pod on its IP and guarder port.
func (w *podWatcher) serveGuarder(ctx context.Context, pod *corev1.Pod, endpoint string, p *nmPod) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	tokenPath, err := w.writeToken(ctx, pod)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", u.Host)
	if err != nil {
		return fmt.Errorf("guarder stand-in on %s: %w", u.Host, err)
	}
	counts := w.shedCounts(p.pool)
	p.standin = newStandin(w.rm, p.nodeID, func(graceful bool) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if graceful {
			counts.Graceful++
		} else {
			counts.Forced++
		}
	})
	h := api.NewHandler(api.Config{Controller: p.standin, Token: api.NewTokenFile(tokenPath),
		Registry: prometheus.NewRegistry(), Log: w.log.WithValues("guarder", pod.Name)})
	p.server = api.NewServer(u.Host, h)
	gctx, cancel := context.WithCancel(ctx)
	p.cancel = cancel
	go func() { _ = p.server.Serve(l) }()
	go p.standin.run(gctx, 5*time.Second)
	return nil
}

// writeToken copies the pool's guarder token from its Secret to a file, as the Secret volume
// would mount it in the pod.
func (w *podWatcher) writeToken(ctx context.Context, pod *corev1.Pod) (string, error) {
	name := pod.Annotations[v1alpha1.AnnotationGuarderTokenSecret]
	if name == "" {
		return "", fmt.Errorf("pod %s has no %s annotation", pod.Name, v1alpha1.AnnotationGuarderTokenSecret)
	}
	var s corev1.Secret
	if err := w.c.Get(ctx, client.ObjectKey{Namespace: pod.Namespace, Name: name}, &s); err != nil {
		return "", err
	}
	dir := filepath.Join(w.dir, "guarder-tokens")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, pod.Name)
	return path, os.WriteFile(path, s.Data[guarderclient.TokenKey], 0o600)
}

// stop unregisters the NodeManager and stops its guarder.
func (w *podWatcher) stop(p *nmPod) {
	if p.registered {
		if err := w.rm.UnregisterNode(p.nodeID); err != nil {
			w.log.Info("unregister failed", "nodeId", p.nodeID, "error", err.Error())
		}
	}
	if p.cancel != nil {
		p.cancel()
	}
	if p.server != nil {
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if p.server.Shutdown(sctx) != nil {
			_ = p.server.Close()
		}
		cancel()
	}
	w.log.Info("NodeManager stopped", "nodeId", p.nodeID)
}

func (w *podWatcher) shedCounts(pool string) *ShedCounts {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.sheds[pool]
	if !ok {
		c = &ShedCounts{}
		w.sheds[pool] = c
	}
	return c
}

// Sheds returns a copy of the pool's shed counts.
func (w *podWatcher) Sheds(pool string) ShedCounts {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.sheds[pool]; ok {
		return *c
	}
	return ShedCounts{}
}

// YARNCoresOn is the vcores YARN containers hold on a Kubernetes node (for the exporter).
func (w *podWatcher) YARNCoresOn(node string) float64 {
	w.mu.Lock()
	var ids []string
	for _, p := range w.pods {
		if p.node == node {
			ids = append(ids, p.nodeID)
		}
	}
	w.mu.Unlock()
	var sum float64
	for _, id := range ids {
		if n, ok := w.rm.Node(id); ok {
			sum += float64(n.Used.VCores)
		}
	}
	return sum
}

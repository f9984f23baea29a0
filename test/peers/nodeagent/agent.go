// Package nodeagent is the one node agent of the demo (test/demo) and the scale run
// (test/scale): it stands in for the NodeManager processes that kwok pods do not run. It
// watches the NodeManager pods and registers a NodeManager with the RM emulator when kwok
// reports a pod Running with its address, with what the pod's yarn-site.xml says
// (NodeManagerSpec: one vcore for resident pools, so the operator has to size every
// NodeManager itself); it unregisters it (state SHUTDOWN, as an NM that exits on SIGTERM)
// when the pod terminates or goes. Each registered pod's guarder is served by a Guarders
// (test/peers/guarderstandin) when one is given.
package nodeagent

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// Guarders serve the guarder API of the pods the agent registers.
type Guarders interface {
	Serve(pod *corev1.Pod, pool *v1alpha1.ElasticNodeManager, nodeID string) error
	Stop(uid types.UID)
}

// Options configure an Agent.
type Options struct {
	RM *rmemulator.Emulator
	// PoolOf returns the pool a NodeManager pod belongs to (its ports and capacity say what
	// the NodeManager registers with).
	PoolOf func(ctx context.Context, pod *corev1.Pod) (*v1alpha1.ElasticNodeManager, error)
	// Guarders, when set, serve each registered pod's guarder.
	Guarders Guarders
	Log      logr.Logger
}

// registerRetry is how soon a failed registration is tried again. A NodeManager retries its
// registration until the RM takes it (NodeStatusUpdaterImpl.registerWithRM, under the RM
// proxy's retry policy: yarn.resourcemanager.connect.retry-interval.ms, 30 s by default);
// the agent retries sooner so that a test does not wait on it.
const registerRetry = time.Second

// Agent registers the NodeManagers of Running pods with the RM emulator.
type Agent struct {
	opt  Options
	ctx  context.Context
	pods client.Reader

	mu         sync.Mutex
	registered map[types.UID]string // pod -> NodeId
	nodeOf     map[string]string    // NodeId -> Kubernetes node
	// failing are the pods whose last registration failed; they are retried.
	failing map[types.UID]bool
}

// Watch is what the agent watches: the pods matching Selector in Namespace.
type Watch struct {
	Config    *rest.Config
	Scheme    *runtime.Scheme
	Namespace string
	Selector  labels.Selector
}

// Start runs an agent on an informer of the pods w selects until ctx ends or stop is called;
// stop returns once the informer has stopped.
func Start(ctx context.Context, w Watch, opt Options) (a *Agent, stop func(), err error) {
	pods, err := cache.New(w.Config, cache.Options{Scheme: w.Scheme,
		DefaultNamespaces: map[string]cache.Config{w.Namespace: {}},
		ByObject:          map[client.Object]cache.ByObject{&corev1.Pod{}: {Label: w.Selector}}})
	if err != nil {
		return nil, nil, err
	}
	cctx, cancel := context.WithCancel(ctx)
	a = &Agent{opt: opt, ctx: cctx, pods: pods, registered: map[types.UID]string{}, nodeOf: map[string]string{},
		failing: map[types.UID]bool{}}
	inf, err := pods.GetInformer(cctx, &corev1.Pod{})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	_, err = inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { a.observe(obj) },
		UpdateFunc: func(_, obj any) { a.observe(obj) },
		DeleteFunc: func(obj any) {
			if t, ok := obj.(toolscache.DeletedFinalStateUnknown); ok {
				obj = t.Obj
			}
			if pod, ok := obj.(*corev1.Pod); ok {
				a.unregister(pod.UID)
			}
		},
	})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() { _ = pods.Start(cctx); close(done) }()
	return a, func() { cancel(); <-done }, nil
}

func (a *Agent) observe(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	if pod.DeletionTimestamp != nil || pod.Status.Phase != corev1.PodRunning || pod.Status.PodIP == "" {
		a.unregister(pod.UID)
		return
	}
	a.mu.Lock()
	_, known := a.registered[pod.UID]
	a.mu.Unlock()
	if known {
		return
	}
	id, err := a.register(pod)
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		a.failing[pod.UID] = true
		a.opt.Log.Info("NodeManager not registered; retrying", "pod", pod.Name, "error", err.Error())
		key := client.ObjectKeyFromObject(pod)
		time.AfterFunc(registerRetry, func() { a.retry(key) })
		return
	}
	delete(a.failing, pod.UID)
	a.registered[pod.UID] = id
	a.nodeOf[id] = nodeOf(pod)
}

// retry observes the pod again as the cache holds it now: one that went or stopped running
// meanwhile is not registered.
func (a *Agent) retry(key client.ObjectKey) {
	if a.ctx.Err() != nil {
		return // stopped: the cache still answers, but nothing is registered any more
	}
	var pod corev1.Pod
	if err := a.pods.Get(a.ctx, key, &pod); err != nil {
		return // gone, or the agent stopped
	}
	a.observe(&pod)
}

// register serves the pod's guarder and registers its NodeManager.
func (a *Agent) register(pod *corev1.Pod) (string, error) {
	pool, err := a.opt.PoolOf(a.ctx, pod)
	if err != nil {
		return "", err
	}
	spec, err := NodeManagerSpec(pod, pool)
	if err != nil {
		return "", err
	}
	if a.opt.Guarders != nil {
		if err := a.opt.Guarders.Serve(pod, pool, spec.ID()); err != nil {
			return "", err
		}
	}
	if _, err := a.opt.RM.RegisterNode(spec); err != nil {
		if a.opt.Guarders != nil {
			a.opt.Guarders.Stop(pod.UID)
		}
		return "", fmt.Errorf("registering %s: %w", spec.ID(), err)
	}
	a.opt.Log.V(1).Info("NodeManager registered", "pod", pod.Name, "nodeId", spec.ID(), "vcores", spec.Capacity.VCores)
	return spec.ID(), nil
}

func (a *Agent) unregister(uid types.UID) {
	a.mu.Lock()
	id, ok := a.registered[uid]
	delete(a.registered, uid)
	delete(a.failing, uid)
	delete(a.nodeOf, id)
	a.mu.Unlock()
	if !ok {
		return
	}
	if a.opt.Guarders != nil {
		a.opt.Guarders.Stop(uid)
	}
	if err := a.opt.RM.UnregisterNode(id); err != nil {
		a.opt.Log.Info("unregister failed", "nodeId", id, "error", err.Error())
	}
}

// Placements maps each registered NodeManager's NodeId to its Kubernetes node. The error
// says how many Running pods are not registered because their registration failed (see the
// log); they are being retried.
func (a *Agent) Placements() (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var err error
	if len(a.failing) > 0 {
		err = fmt.Errorf("%d NodeManager registrations are failing (see the run log)", len(a.failing))
	}
	return maps.Clone(a.nodeOf), err
}

// nodeOf is the pod's node: where it was scheduled, or the node the operator made it for.
func nodeOf(pod *corev1.Pod) string {
	if pod.Spec.NodeName != "" {
		return pod.Spec.NodeName
	}
	return pod.Labels[v1alpha1.LabelNode]
}

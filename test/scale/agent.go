package scale

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/demo"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// nodeAgent stands in for the NodeManager processes kwok pods do not run: it watches the
// pool's pods and registers a NodeManager with the RM emulator when kwok reports a pod
// Running with its address, and unregisters it when the pod goes. It registers with what
// the pod's yarn-site.xml says (demo.NodeManagerSpec: one vcore for resident pools), so the
// operator has to size every NodeManager from Koordinator's series.
type nodeAgent struct {
	rm   *rmemulator.Emulator
	pool *v1alpha1.ElasticNodeManager
	log  logr.Logger

	mu         sync.Mutex
	registered map[types.UID]string // pod -> NodeId
	nodeOf     map[string]string    // NodeId -> Kubernetes node
	failures   int
}

func newNodeAgent(rm *rmemulator.Emulator, pool *v1alpha1.ElasticNodeManager, log logr.Logger) *nodeAgent {
	return &nodeAgent{rm: rm, pool: pool, log: log, registered: map[types.UID]string{}, nodeOf: map[string]string{}}
}

// watch adds the agent's handler to the pod informer of c (a cache limited to the pool's pods).
func (a *nodeAgent) watch(ctx context.Context, c cache.Cache) error {
	inf, err := c.GetInformer(ctx, &corev1.Pod{})
	if err != nil {
		return err
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
	return err
}

func (a *nodeAgent) observe(obj any) {
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
	spec, err := demo.NodeManagerSpec(pod, a.pool)
	if err == nil {
		_, err = a.rm.RegisterNode(spec)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		a.failures++
		a.log.Info("NodeManager not registered", "pod", pod.Name, "error", err.Error())
		return
	}
	a.registered[pod.UID] = spec.ID()
	a.nodeOf[spec.ID()] = pod.Spec.NodeName
}

func (a *nodeAgent) unregister(uid types.UID) {
	a.mu.Lock()
	id, ok := a.registered[uid]
	delete(a.registered, uid)
	delete(a.nodeOf, id)
	a.mu.Unlock()
	if ok {
		if err := a.rm.UnregisterNode(id); err != nil {
			a.log.Info("unregister failed", "nodeId", id, "error", err.Error())
		}
	}
}

// placements maps each registered NodeManager's NodeId to its Kubernetes node.
func (a *nodeAgent) placements() (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failures > 0 {
		return nil, fmt.Errorf("%d NodeManager registrations failed (see the run log)", a.failures)
	}
	return maps.Clone(a.nodeOf), nil
}

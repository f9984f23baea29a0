package disruption

import (
	"context"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/nodeagent"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// ending is what ran on a NodeManager when its pod terminated (deletionTimestamp set, or
// gone): what SIGTERM to the NM would have killed.
type ending struct {
	Pod, UID, Node string
	// Containers still running, and the RM capacity of the node, at that moment.
	Containers  int
	TotalVCores int64
	// Drained: the pod carried the operator's drain annotations.
	Drained bool
}

// nodeManagers stands in for what runs inside NodeManager pods, which kwok does not run: a
// Running pod with an IP registers its NodeManager with its namespace's RM emulator; a pod
// that terminates (or disappears) is recorded as an ending, then unregistered.
type nodeManagers struct {
	c client.Client

	mu      sync.Mutex
	rms     map[string]*rmemulator.Emulator // by namespace
	running map[string]runningNM            // by pod UID
	endings map[string][]ending             // by namespace
}

type runningNM struct {
	namespace, pod, node, nodeID string
}

func newNodeManagers(c client.Client) *nodeManagers {
	return &nodeManagers{c: c, rms: map[string]*rmemulator.Emulator{}, running: map[string]runningNM{}, endings: map[string][]ending{}}
}

func (n *nodeManagers) setRM(namespace string, rm *rmemulator.Emulator) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rms[namespace] = rm
}

// Endings of the namespace's NodeManagers so far.
func (n *nodeManagers) Endings(namespace string) []ending {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]ending(nil), n.endings[namespace]...)
}

func (n *nodeManagers) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n.sync(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (n *nodeManagers) sync(ctx context.Context) {
	var pods corev1.PodList
	if err := n.c.List(ctx, &pods, client.HasLabels{v1alpha1.LabelPool}); err != nil {
		return
	}
	seen := map[string]bool{}
	for i := range pods.Items {
		pod := &pods.Items[i]
		uid := string(pod.UID)
		seen[uid] = true
		n.mu.Lock()
		nm, known := n.running[uid]
		rm := n.rms[pod.Namespace]
		n.mu.Unlock()
		switch {
		case known && pod.DeletionTimestamp != nil:
			_, drained := pod.Annotations[v1alpha1.AnnotationDrainStarted]
			n.end(uid, nm, drained)
		case !known && rm != nil && pod.DeletionTimestamp == nil && pod.Status.Phase == corev1.PodRunning && pod.Status.PodIP != "":
			n.start(ctx, rm, pod)
		}
	}
	n.mu.Lock()
	var gone []string
	for uid := range n.running {
		if !seen[uid] {
			gone = append(gone, uid)
		}
	}
	n.mu.Unlock()
	for _, uid := range gone {
		n.mu.Lock()
		nm := n.running[uid]
		n.mu.Unlock()
		n.end(uid, nm, false)
	}
}

// brokenImage marks a NodeManager image that never starts: its pod runs, but no NodeManager
// registers (a bad Hadoop configuration, a crashing JVM).
const brokenImage = "does-not-start"

func (n *nodeManagers) start(ctx context.Context, rm *rmemulator.Emulator, pod *corev1.Pod) {
	for _, c := range pod.Spec.Containers {
		if strings.Contains(c.Image, brokenImage) {
			return
		}
	}
	var enm v1alpha1.ElasticNodeManager
	if err := n.c.Get(ctx, client.ObjectKey{Namespace: pod.Namespace, Name: pod.Labels[v1alpha1.LabelPool]}, &enm); err != nil {
		return
	}
	spec, err := nodeagent.NodeManagerSpec(pod, &enm)
	if err != nil {
		return
	}
	if _, err := rm.RegisterNode(spec); err != nil {
		return
	}
	n.mu.Lock()
	n.running[string(pod.UID)] = runningNM{namespace: pod.Namespace, pod: pod.Name, node: pod.Spec.NodeName, nodeID: spec.ID()}
	n.mu.Unlock()
}

// end records what ran on the NodeManager, then unregisters it (its containers die with it).
func (n *nodeManagers) end(uid string, nm runningNM, drained bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	rm := n.rms[nm.namespace]
	e := ending{Pod: nm.pod, UID: uid, Node: nm.node, Drained: drained}
	if v, ok := rm.Node(nm.nodeID); ok {
		e.Containers, e.TotalVCores = v.NumContainers, v.Total.VCores
	}
	_ = rm.UnregisterNode(nm.nodeID)
	n.endings[nm.namespace] = append(n.endings[nm.namespace], e)
	delete(n.running, uid)
}

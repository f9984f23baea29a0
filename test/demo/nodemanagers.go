package demo

import (
	"context"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/nodeagent"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// guarderReplay is how often a guarder stand-in re-runs its target, as the real guarder's loop.
const guarderReplay = 5 * time.Second

// nodeManagers stands in for what runs inside NodeManager pods, which kwok does not run: the
// node agent registers each Running pod's NodeManager with the RM emulator and the guarder
// stand-in serves its guarder API on <pod IP>:<guarder port>, shedding through the emulator.
type nodeManagers struct {
	rm       *rmemulator.Emulator
	agent    *nodeagent.Agent
	guarders *guarderstandin.Server
}

// startNodeManagers watches every pool's pods in Namespace until ctx ends or stop is called.
func startNodeManagers(ctx context.Context, c client.Client, cfg *rest.Config, rm *rmemulator.Emulator, dir string, log logr.Logger) (*nodeManagers, func(), error) {
	hasPool, err := labels.NewRequirement(v1alpha1.LabelPool, selection.Exists, nil)
	if err != nil {
		return nil, nil, err
	}
	guarders, err := guarderstandin.Start(ctx, guarderstandin.Options{RM: rm, Reader: c, Dir: dir, Log: log.WithName("guarders"), Replay: guarderReplay})
	if err != nil {
		return nil, nil, err
	}
	poolOf := func(ctx context.Context, pod *corev1.Pod) (*v1alpha1.ElasticNodeManager, error) {
		var enm v1alpha1.ElasticNodeManager
		err := c.Get(ctx, client.ObjectKey{Namespace: pod.Namespace, Name: pod.Labels[v1alpha1.LabelPool]}, &enm)
		return &enm, err
	}
	agent, stop, err := nodeagent.Start(ctx, nodeagent.Watch{Config: cfg, Scheme: c.Scheme(), Namespace: Namespace, Selector: labels.NewSelector().Add(*hasPool)},
		nodeagent.Options{RM: rm, PoolOf: poolOf, Guarders: guarders, Log: log})
	if err != nil {
		return nil, nil, err
	}
	return &nodeManagers{rm: rm, agent: agent, guarders: guarders}, stop, nil
}

// Sheds returns a copy of the pool's shed counts.
func (n *nodeManagers) Sheds(pool string) guarderstandin.ShedCounts { return n.guarders.Sheds(pool) }

// YARNCoresOn is the vcores YARN containers hold on a Kubernetes node (for the exporter).
func (n *nodeManagers) YARNCoresOn(node string) float64 {
	placed, _ := n.agent.Placements() // a failed registration has no cores to count
	var sum float64
	for id, on := range placed {
		if on != node {
			continue
		}
		if v, ok := n.rm.Node(id); ok {
			sum += float64(v.Used.VCores)
		}
	}
	return sum
}

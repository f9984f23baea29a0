package scale

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

const (
	// Namespace holds the pool, its StaticIPs and NodeManager pods.
	Namespace = "yarn-scale"
	// PoolName is the one Resident pool of a run.
	PoolName = "scale-pool"
	// labelScaleNode marks the run's nodes (the pool's nodeSelector).
	labelScaleNode = "elasticyarn.io/scale-node"
	// labelScaleIP selects the run's StaticIPs.
	labelScaleIP  = "elasticyarn.io/scale-pool"
	nodeCores     = 32
	nodeMemoryGiB = 128
	// createWorkers is how many objects are created at once: enough to keep the apiserver
	// busy without starving the operator of the two cores.
	createWorkers = 16
)

// NodeName is the name of node i.
func NodeName(i int) string { return fmt.Sprintf("scale-node-%05d", i) }

// nodeIndex is the inverse of NodeName.
func nodeIndex(name string) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(name, "scale-node-%05d", &i); err != nil {
		return 0, false
	}
	return i, true
}

// StaticIPAddress is the i-th loopback address 127.1.x.y (y in 1..250): up to 64,000 nodes,
// all reachable on this machine so the guarder listener can serve every pod address.
func StaticIPAddress(i int) string { return fmt.Sprintf("127.1.%d.%d", i/250, i%250+1) }

func staticIP(i int) *v1alpha1.StaticIP {
	addr := StaticIPAddress(i)
	name := "nm-" + strings.ReplaceAll(addr, ".", "-")
	return &v1alpha1.StaticIP{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace, Labels: map[string]string{labelScaleIP: PoolName}},
		Spec:       v1alpha1.StaticIPSpec{Address: addr, FQDN: name + ".scale.elasticyarn.test"},
	}
}

// createNodes creates n kwok nodes and their StaticIPs, createWorkers at a time.
func createNodesAndIPs(ctx context.Context, c client.Client, n int) error {
	return parallel(ctx, n, func(i int) error {
		want := RealisticNode(i)
		if err := c.Create(ctx, want.DeepCopy()); err != nil {
			return fmt.Errorf("creating node %s: %w", want.Name, err)
		}
		// The apiserver drops status on create; kwok only adds conditions (keep them).
		var got corev1.Node
		if err := c.Get(ctx, client.ObjectKeyFromObject(want), &got); err != nil {
			return err
		}
		patch := client.MergeFrom(got.DeepCopy())
		status := want.Status
		status.Conditions = got.Status.Conditions
		got.Status = status
		if err := c.Status().Patch(ctx, &got, patch); err != nil {
			return fmt.Errorf("setting status of node %s: %w", want.Name, err)
		}
		if err := c.Create(ctx, staticIP(i)); err != nil {
			return fmt.Errorf("creating StaticIP %d: %w", i, err)
		}
		return nil
	})
}

// parallel runs f(0..n-1) on createWorkers goroutines and returns the first error.
func parallel(ctx context.Context, n int, f func(i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < createWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					cancel(err)
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// poolYAML is the measured pool: production settings (10-minute mean, grow by 3+ vcores,
// 10 % shrink tolerance, node safety on; the API's default interval and RM write budget
// unless the run sets them). No Kerberos: the RM emulator runs with simple authentication here
// (SPNEGO is covered by the yarnclient and rmconnect tests).
const poolYAML = `
apiVersion: elasticyarn.io/v1alpha1
kind: ElasticNodeManager
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  yarn:
    clusterName: scale
    resourceManagers: [%[3]s]
  template:
    image: registry.example.com/hadoop-nodemanager:3.3.6
  placement:
    nodeSelector: {"%[4]s": "true"}
  staticIPs:
    selector:
      matchLabels: {"%[5]s": %[1]s}
  mode: Resident
  capacity:
    source: Koordinator
    dynamic:
      prometheusURL: %[6]s
      window: 10m
      statistic: Mean
      scaleUpStepVCores: 3
      scaleDownTolerancePercent: 10
      reserve: {vcores: 1, memoryMB: 0}
      memory: {policy: VCoreRatio, mbPerVCore: 4096}
  guarder:
    port: %[7]d
    gracePeriod: 5m
  nodeSafety:
    cpuThresholdPercent: 90
    shedAfter: 5m
`

// poolSettings are what a run varies in the pool.
type poolSettings struct {
	rmURL, prometheusURL string
	interval             time.Duration // zero: the API's default
	maxRMWritesPerMinute int           // zero: the API's default
	guarderPort          int
}

func pool(s poolSettings) (*v1alpha1.ElasticNodeManager, error) {
	raw := fmt.Sprintf(poolYAML, PoolName, Namespace, s.rmURL, labelScaleNode, labelScaleIP,
		s.prometheusURL, s.guarderPort)
	var enm v1alpha1.ElasticNodeManager
	if err := yaml.UnmarshalStrict([]byte(raw), &enm); err != nil {
		return nil, fmt.Errorf("scale pool: %w", err)
	}
	if s.interval > 0 {
		enm.Spec.Capacity.Dynamic.Interval = &metav1.Duration{Duration: s.interval}
	}
	if s.maxRMWritesPerMinute > 0 {
		enm.Spec.Capacity.Dynamic.MaxRMWritesPerMinute = int32(s.maxRMWritesPerMinute)
	}
	return &enm, nil
}

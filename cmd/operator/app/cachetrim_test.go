package app

import (
	"encoding/json"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/test/scale"
)

// readFromNode is everything a controller reads from a Node, through the same functions
// where they are exported: what trimForCache must leave unchanged.
type readFromNode struct {
	Labels        map[string]string
	Unschedulable bool
	Taints        []corev1.Taint
	CapacityCPU   int64 // milli-cores
	BatchCPU      resource.Quantity
	BatchMemory   resource.Quantity
	Ready         corev1.ConditionStatus
	YARNShare     koordledger.Batch
	Origin        koordledger.Batch
	OriginKnown   bool
	FromNode      any
	FromNodeOK    bool
}

func readNode(t *testing.T, n *corev1.Node) readFromNode {
	t.Helper()
	share, err := koordledger.YARNShareOf(n)
	if err != nil {
		t.Fatal(err)
	}
	origin, originKnown, err := koordledger.OriginOf(n)
	if err != nil {
		t.Fatal(err)
	}
	fromNode, fromNodeOK, err := koordledger.FromNodeAllocatable(n)
	if err != nil {
		t.Fatal(err)
	}
	r := readFromNode{Labels: n.Labels, Unschedulable: n.Spec.Unschedulable, Taints: n.Spec.Taints,
		CapacityCPU: n.Status.Capacity.Cpu().MilliValue(),
		BatchCPU:    n.Status.Allocatable[koordledger.ResourceBatchCPU], BatchMemory: n.Status.Allocatable[koordledger.ResourceBatchMemory],
		YARNShare: share, Origin: origin, OriginKnown: originKnown, FromNode: fromNode, FromNodeOK: fromNodeOK}
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			r.Ready = c.Status
		}
	}
	return r
}

// TestTrimForCacheKeepsWhatIsRead: a node as the kubelet, Calico, a CSI driver and
// Koordinator leave it (the scale run's realistic node) plus the Koordinator ledger, a taint,
// a cordon and the kubelet's conditions: after the trim every controller reads the same,
// and what nobody reads is gone.
func TestTrimForCacheKeepsWhatIsRead(t *testing.T) {
	node := scale.RealisticNode(7)
	node.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate}}
	node.Annotations[koordledger.AnnotationThirdPartyAllocations] = `{"allocations":[{"name":"hadoop-yarn","resources":{"kubernetes.io/batch-cpu":"4000","kubernetes.io/batch-memory":"8Gi"}}]}`
	node.Annotations[koordledger.AnnotationOriginExtendedAllocatable] = `{"resources":{"kubernetes.io/batch-cpu":"20000","kubernetes.io/batch-memory":"64Gi"}}`
	node.Spec.Unschedulable = true
	node.Spec.Taints = []corev1.Taint{{Key: "dedicated", Value: "yarn", Effect: corev1.TaintEffectNoSchedule}}
	node.Status.Allocatable["kubernetes.io/batch-cpu"] = *mustQuantity(t, "16000")
	node.Status.Allocatable["kubernetes.io/batch-memory"] = *mustQuantity(t, "56Gi")
	for _, c := range []corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure, corev1.NodeReady} {
		status := corev1.ConditionFalse
		if c == corev1.NodeReady {
			status = corev1.ConditionTrue
		}
		node.Status.Conditions = append(node.Status.Conditions, corev1.NodeCondition{Type: c, Status: status,
			Reason: "Kubelet" + string(c), Message: "kubelet reports " + string(c)})
	}
	before := readNode(t, node)
	if !before.OriginKnown || before.YARNShare.Cores != 4 || !before.FromNodeOK {
		t.Fatalf("fixture does not exercise the ledger: %+v", before)
	}
	full, _ := json.Marshal(node)

	out, err := trimForCache(node.DeepCopy())
	if err != nil {
		t.Fatal(err)
	}
	trimmed := out.(*corev1.Node)
	if after := readNode(t, trimmed); !reflect.DeepEqual(before, after) {
		t.Errorf("the trim changed what the controllers read:\nbefore %+v\nafter  %+v", before, after)
	}
	if len(trimmed.Annotations) != 2 {
		t.Errorf("annotations kept: %v, want only the Koordinator ledger", trimmed.Annotations)
	}
	if trimmed.ManagedFields != nil || trimmed.Status.Images != nil || trimmed.Status.NodeInfo != (corev1.NodeSystemInfo{}) ||
		trimmed.Status.Addresses != nil || trimmed.Status.VolumesAttached != nil || len(trimmed.Status.Conditions) != 1 || trimmed.Spec.ProviderID != "" ||
		len(trimmed.Status.Capacity) != 1 || len(trimmed.Status.Allocatable) != 2 {
		t.Errorf("unread fields kept: %+v", trimmed)
	}
	small, _ := json.Marshal(trimmed)
	t.Logf("realistic node: %d bytes of JSON, %d after the trim", len(full), len(small))

	// A node without the ledger keeps no annotation map at all.
	bare := scale.RealisticNode(8)
	out, _ = trimForCache(bare)
	if a := out.(*corev1.Node).Annotations; a != nil {
		t.Errorf("node without the ledger kept annotations %v", a)
	}
}

// TestTrimForCacheKeepsWhatIsReadFromPods: a NodeManager pod as podspec.Build makes it, as
// the scheduler and kubelet leave it: its metadata, status, node and guarder endpoint read the
// same after the trim, and the rest of the spec is gone.
func TestTrimForCacheKeepsWhatIsReadFromPods(t *testing.T) {
	enm := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: "yarn", UID: "u1"}}
	enm.Spec.YARN.ClusterName = "c"
	enm.Spec.YARN.ResourceManagers = []string{"http://rm:8088"}
	enm.Spec.Template.Image = "hadoop:3.3.6"
	enm.Spec.Guarder.Port = 9100
	sip := &v1alpha1.StaticIP{ObjectMeta: metav1.ObjectMeta{Name: "nm-1", Namespace: "yarn"},
		Spec: v1alpha1.StaticIPSpec{Address: "10.0.0.1", FQDN: "nm-1.example.com"}}
	pod := podspec.Build(enm, "node-a", sip, podspec.Options{DefaultGuarderImage: "guarder:1"})
	pod.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate}}
	pod.Spec.NodeName = "node-a"
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1",
		ContainerStatuses: []corev1.ContainerStatus{{Name: guarderclient.ContainerName, Ready: true, ContainerID: "containerd://1"}}}
	endpoint, err := guarderclient.Endpoint(pod)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := json.Marshal(pod)
	before := pod.DeepCopy()

	out, err := trimForCache(pod)
	if err != nil {
		t.Fatal(err)
	}
	trimmed := out.(*corev1.Pod)
	if got, err := guarderclient.Endpoint(trimmed); err != nil || got != endpoint {
		t.Errorf("guarder endpoint %q, %v after the trim, want %q", got, err, endpoint)
	}
	if podspec.NodeOf(trimmed) != "node-a" || trimmed.Spec.NodeName != "node-a" || !reflect.DeepEqual(trimmed.Spec.Affinity, before.Spec.Affinity) {
		t.Errorf("the trim lost the pod's node: %q %+v", podspec.NodeOf(trimmed), trimmed.Spec.Affinity)
	}
	before.ManagedFields = nil
	if !reflect.DeepEqual(trimmed.ObjectMeta, before.ObjectMeta) || !reflect.DeepEqual(trimmed.Status, before.Status) {
		t.Error("the trim changed the pod's metadata or status")
	}
	if len(trimmed.Spec.Volumes) != 0 || len(trimmed.Spec.InitContainers) != 0 || trimmed.Spec.Containers[0].Env != nil || trimmed.Spec.Containers[0].Image != "" {
		t.Errorf("unread pod spec kept: %+v", trimmed.Spec)
	}
	small, _ := json.Marshal(trimmed)
	t.Logf("NodeManager pod: %d bytes of JSON, %d after the trim", len(full), len(small))
}

func TestTrimForCacheOtherKinds(t *testing.T) {
	managed := []metav1.ManagedFieldsEntry{{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate}}
	sip := &v1alpha1.StaticIP{ObjectMeta: metav1.ObjectMeta{Name: "p", ManagedFields: managed, Annotations: map[string]string{"a": "b"}},
		Spec: v1alpha1.StaticIPSpec{Address: "10.0.0.1"}}
	out, err := trimForCache(sip)
	if err != nil {
		t.Fatal(err)
	}
	if s := out.(*v1alpha1.StaticIP); s.ManagedFields != nil || s.Spec.Address != "10.0.0.1" || s.Annotations["a"] != "b" {
		t.Errorf("StaticIP: managedFields %v address %q annotations %v", s.ManagedFields, s.Spec.Address, s.Annotations)
	}
	// Not an object (a tombstone, say): passed through untouched.
	if out, err := trimForCache("x"); err != nil || out != "x" {
		t.Errorf("non-object: %v, %v", out, err)
	}
}

func mustQuantity(t *testing.T, s string) *resource.Quantity {
	t.Helper()
	q, err := resource.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return &q
}

package testkit

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// NodeManagerPodOptions are a NodeManager pod's settings; Pool is required.
type NodeManagerPodOptions struct {
	// Pool the pod belongs to: its namespace, the elasticyarn.io/pool label, its ports and,
	// when the pool has a UID (it was created), the controller reference.
	Pool *v1alpha1.ElasticNodeManager
	// Node the pod runs on: spec.nodeName and the elasticyarn.io/node label ("node-a").
	Node string
	// StaticIP the pod holds: the elasticyarn.io/static-ip label and the YARN NodeId
	// (fqdn:rpcPort). Without one the NodeId is the node's name.
	StaticIP *v1alpha1.StaticIP
	// YARNNodeID overrides the NodeId annotation.
	YARNNodeID string
	// Name is podspec.PodName(pool, node), the operator's name for it.
	Name string
	// Image of the nodemanager container (the pool's template image).
	Image string
}

// NodeManagerPod builds a NodeManager pod as the operator labels, annotates and owns it, with
// one nodemanager container. For the full pod the operator would create, use podspec.Build.
func NodeManagerPod(o NodeManagerPodOptions) *corev1.Pod {
	pool := o.Pool
	node := or(o.Node, "node-a")
	rpc, _ := podspec.Ports(pool)
	labels := map[string]string{v1alpha1.LabelPool: pool.Name, v1alpha1.LabelNode: node}
	host := node
	if o.StaticIP != nil {
		labels[v1alpha1.LabelStaticIP] = o.StaticIP.Name
		host = o.StaticIP.Spec.FQDN
	}
	image := o.Image
	if image == "" {
		image = or(pool.Spec.Template.Image, DefaultImage)
	}
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Namespace: pool.Namespace, Name: or(o.Name, podspec.PodName(pool.Name, node)), Labels: labels,
			Annotations: map[string]string{v1alpha1.AnnotationYARNNodeID: or(o.YARNNodeID, podspec.YARNNodeID(host, rpc))}},
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: podspec.NodeManagerContainerName, Image: image}}},
	}
	if pool.UID != "" {
		pod.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(pool, v1alpha1.GroupVersion.WithKind("ElasticNodeManager"))}
	}
	return pod
}

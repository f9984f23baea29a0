package nodeagent

import (
	"fmt"
	"net"
	"strconv"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// NodeManagerSpec is what the NodeManager in pod would register with: its NodeId from the pod's
// elasticyarn.io/yarn-node-id annotation and its yarn-site.xml capacity. Static pools
// configure their static capacity; resident pools configure one vcore (the smallest NM the
// RM accepts) and let the operator size it from Koordinator's metrics.
func NodeManagerSpec(pod *corev1.Pod, enm *v1alpha1.ElasticNodeManager) (rmemulator.NodeSpec, error) {
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	host, portStr, err := net.SplitHostPort(id)
	if err != nil {
		return rmemulator.NodeSpec{}, fmt.Errorf("pod %s: bad %s %q: %w", pod.Name, v1alpha1.AnnotationYARNNodeID, id, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return rmemulator.NodeSpec{}, fmt.Errorf("pod %s: bad NodeId port %q", pod.Name, portStr)
	}
	httpPort := int(enm.Spec.YARN.NodeManagerPorts.HTTP)
	if httpPort == 0 {
		httpPort = 8042
	}
	var capacity rmemulator.Resource
	switch c := enm.Spec.Capacity; {
	case c.Static != nil:
		capacity = rmemulator.Resource{VCores: int64(c.Static.VCores), MemoryMB: c.Static.MemoryMB}
	case c.Dynamic != nil:
		mb := int64(c.Dynamic.Memory.MBPerVCore)
		if mb == 0 {
			mb = 4096
		}
		capacity = rmemulator.Resource{VCores: 1, MemoryMB: mb}
	}
	return rmemulator.NodeSpec{Host: host, RPCPort: port, HTTPPort: httpPort, Capacity: capacity}, nil
}

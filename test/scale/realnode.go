package scale

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
)

// The scale run's nodes carry what the kubelet, the cloud provider, a CSI driver, the CNI
// (Calico) and Koordinator put on a real node, so the operator's cache holds objects of the
// size it holds in a cluster (docs/benchmarks.md, "Scale", gives the sizes). Values are
// deterministic per node and unique where the real ones are (IDs, addresses, digests).
//
// Sources (what writes each field on a real node):
//   - kubelet: the well-known labels kubernetes.io/{hostname,os,arch} and their beta.* copies,
//     volumes.kubernetes.io/controller-managed-attach-detach and
//     alpha.kubernetes.io/provided-node-ip (kubernetes/kubernetes pkg/kubelet/
//     kubelet_node_status.go initialNode), status.images, the 50 largest images
//     (nodeStatusMaxImages, pkg/kubelet/apis/config/v1beta1/defaults.go), status.nodeInfo,
//     addresses, daemonEndpoints, volumesInUse/volumesAttached;
//   - kube-controller-manager: node.alpha.kubernetes.io/ttl (pkg/controller/ttl);
//   - kubeadm: kubeadm.alpha.kubernetes.io/cri-socket;
//   - cloud provider: node.kubernetes.io/instance-type, topology.kubernetes.io/{region,zone}
//     and their deprecated failure-domain.beta.* copies;
//   - CSI (kubelet's nodeinfomanager, pkg/volume/csi/nodeinfomanager): csi.volume.kubernetes.io/
//     nodeid and the driver's topology label topology.ebs.csi.aws.com/zone;
//   - Calico (calico/node startup): projectcalico.org/IPv4Address and
//     projectcalico.org/IPv4IPIPTunnelAddr;
//   - Koordinator (koordinator-sh/koordinator apis/extension, a7a1b76b): koord-manager's
//     node.koordinator.sh/cpu-normalization-ratio (cpu_normalization.go, written by
//     pkg/slo-controller/noderesource/plugins/cpunormalization), resource-amplification-ratio
//     and the webhook's raw-allocatable (node_resource_amplification.go). The CPU topology and
//     shared pools are on the NodeResourceTopology object and the usage on the NodeMetric CRD,
//     not on the Node; originExtendedAllocatable and the batch resources in status are left
//     out because the capacity controller reads them (a fallback source and the ledger's cap)
//     and the run's koordlet stand-in does not publish them.
const (
	realImages        = 50 // nodeStatusMaxImages
	realVolumes       = 3  // CSI volumes of the node's other pods
	instanceType      = "m6i.8xlarge"
	region            = "us-east-1"
	ebsDriver         = "ebs.csi.aws.com"
	containerdSocket  = "unix:///run/containerd/containerd.sock"
	kubeletVersion    = "v1.36.0"
	realImageRegistry = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
)

// digest is a deterministic sha256 hex string for s.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// RealisticNode is node i as a kubelet-managed cloud node in a Koordinator cluster with
// Calico looks, with the run's own labels and the kwok marker.
func RealisticNode(i int) *corev1.Node {
	name := NodeName(i)
	zone := fmt.Sprintf("%s%c", region, 'a'+rune(i%3))
	instanceID := "i-0" + digest(name)[:16]
	hostIP := fmt.Sprintf("10.%d.%d.%d", 16+i/65536, i/256%256, i%256)
	res := corev1.ResourceList{
		corev1.ResourceCPU:              *resource.NewQuantity(nodeCores, resource.DecimalSI),
		corev1.ResourceMemory:           *resource.NewQuantity(nodeMemoryGiB<<30, resource.BinarySI),
		corev1.ResourcePods:             *resource.NewQuantity(110, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: *resource.NewQuantity(200<<30, resource.BinarySI),
		"hugepages-1Gi":                 *resource.NewQuantity(0, resource.DecimalSI),
		"hugepages-2Mi":                 *resource.NewQuantity(0, resource.DecimalSI),
		"attachable-volumes-aws-ebs":    *resource.NewQuantity(25, resource.DecimalSI),
	}
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				"kubernetes.io/hostname":                        name,
				"kubernetes.io/os":                              "linux",
				"kubernetes.io/arch":                            "amd64",
				"beta.kubernetes.io/os":                         "linux",
				"beta.kubernetes.io/arch":                       "amd64",
				"node.kubernetes.io/instance-type":              instanceType,
				"beta.kubernetes.io/instance-type":              instanceType,
				"topology.kubernetes.io/region":                 region,
				"topology.kubernetes.io/zone":                   zone,
				"failure-domain.beta.kubernetes.io/region":      region,
				"failure-domain.beta.kubernetes.io/zone":        zone,
				"topology.ebs.csi.aws.com/zone":                 zone,
				"node-role.kubernetes.io/worker":                "",
				"node.koordinator.sh/cpu-normalization-enabled": "true",
				"type":         "kwok",
				labelScaleNode: "true",
			},
			Annotations: map[string]string{
				localcluster.KwokNodeAnnotation:                          "fake",
				"node.alpha.kubernetes.io/ttl":                           "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
				"alpha.kubernetes.io/provided-node-ip":                   hostIP,
				"kubeadm.alpha.kubernetes.io/cri-socket":                 containerdSocket,
				"csi.volume.kubernetes.io/nodeid":                        fmt.Sprintf(`{"%s":"%s","efs.csi.aws.com":"%s"}`, ebsDriver, instanceID, instanceID),
				"projectcalico.org/IPv4Address":                          hostIP + "/20",
				"projectcalico.org/IPv4IPIPTunnelAddr":                   fmt.Sprintf("192.168.%d.%d", i/256%256, i%256),
				"node.koordinator.sh/cpu-normalization-ratio":            "1.18",
				"node.koordinator.sh/resource-amplification-ratio":       `{"cpu":1.18}`,
				"node.koordinator.sh/raw-allocatable":                    fmt.Sprintf(`{"cpu":"%d","memory":"%dGi"}`, nodeCores, nodeMemoryGiB),
			},
		},
		Spec: corev1.NodeSpec{PodCIDR: fmt.Sprintf("100.%d.%d.0/24", 64+i/65536, i/256%256),
			ProviderID: fmt.Sprintf("aws:///%s/%s", zone, instanceID)},
		Status: corev1.NodeStatus{
			Capacity: res, Allocatable: res.DeepCopy(),
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}, {Type: corev1.NodeHostName, Address: name},
				{Type: corev1.NodeInternalDNS, Address: "ip-" + hostIP + ".ec2.internal"}},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID: digest("machine" + name)[:32], SystemUUID: "ec2" + digest("uuid" + name)[:29],
				BootID: digest("boot" + name)[:32], KernelVersion: "6.1.119-129.201.amzn2023.x86_64",
				OSImage: "Amazon Linux 2023.6.20241212", ContainerRuntimeVersion: "containerd://1.7.23",
				KubeletVersion: kubeletVersion, OperatingSystem: "linux", Architecture: "amd64",
			},
			Images: realisticImages(i),
		},
	}
	for v := range realVolumes {
		vol := corev1.UniqueVolumeName(fmt.Sprintf("kubernetes.io/csi/%s^vol-0%s", ebsDriver, digest(fmt.Sprintf("%s-%d", name, v))[:16]))
		n.Status.VolumesInUse = append(n.Status.VolumesInUse, vol)
		n.Status.VolumesAttached = append(n.Status.VolumesAttached, corev1.AttachedVolume{Name: vol, DevicePath: ""})
	}
	return n
}

// realisticImages are the 50 images a busy node reports: each with its digest reference and
// its tag, as the kubelet lists them (most shared by every node, a few per node).
func realisticImages(i int) []corev1.ContainerImage {
	images := make([]corev1.ContainerImage, 0, realImages)
	for k := range realImages {
		repo := fmt.Sprintf("%s/team-%02d/service-%02d", realImageRegistry, k%12, k)
		tag := fmt.Sprintf("v1.%d.%d", k, (i+k)%7)
		images = append(images, corev1.ContainerImage{
			Names:     []string{repo + "@sha256:" + digest(repo+tag), repo + ":" + tag},
			SizeBytes: int64(50+k*13) << 20,
		})
	}
	return images
}

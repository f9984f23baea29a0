package podspec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// GuarderTokenKey is the key of the guarder token in its Secret.
const GuarderTokenKey = "token"

// PodName is the deterministic name of the pool's NodeManager pod on node, so a stale cache
// can never create two pods for one node (the second create fails with AlreadyExists).
func PodName(pool, node string) string {
	name := pool + "-" + node
	if len(name) <= validation.DNS1123LabelMaxLength && len(validation.IsDNS1123Label(name)) == 0 {
		return name
	}
	return truncateWithHash(pool, 40) + "-" + shortHash(node)
}

// LabelValue fits any name into a label value: names longer than 63 characters (node and
// StaticIP names may have up to 253) become a prefix plus a hash. Look pods up by the
// label, but read the real node name with NodeOf.
func LabelValue(s string) string {
	if len(validation.IsValidLabelValue(s)) == 0 {
		return s
	}
	return truncateWithHash(s, 50)
}

func truncateWithHash(s string, keep int) string {
	if len(s) <= keep {
		return strings.Trim(s, "-.")
	}
	return strings.Trim(s[:keep], "-.") + "-" + shortHash(s)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:10]
}

// NodeOf is the node a NodeManager pod was made for: the name in its required node affinity
// (exact, whatever its length), else its LabelNode label.
func NodeOf(pod *corev1.Pod) string {
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, f := range term.MatchFields {
				if f.Key == nodeNameField && f.Operator == corev1.NodeSelectorOpIn && len(f.Values) == 1 {
					return f.Values[0]
				}
			}
		}
	}
	return pod.Labels[v1alpha1.LabelNode]
}

// YARNNodeID is the NodeId the NodeManager registers as.
func YARNNodeID(fqdn string, rpcPort int32) string {
	return fmt.Sprintf("%s:%d", fqdn, rpcPort)
}

// ShortHostname is the first label of an FQDN.
func ShortHostname(fqdn string) string {
	short, _, _ := strings.Cut(fqdn, ".")
	return short
}

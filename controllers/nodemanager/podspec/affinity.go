package podspec

import (
	corev1 "k8s.io/api/core/v1"
)

const nodeNameField = "metadata.name"

// pinToNode returns the template affinity with a required node affinity for node added.
// Required node selector terms are ORed, so the node constraint is added to every term (or
// is the only term): the pod must land on this node *and* satisfy the template. The
// scheduler still checks that the pod fits, which spec.nodeName would bypass.
func pinToNode(template *corev1.Affinity, node string) *corev1.Affinity {
	var a corev1.Affinity
	if template != nil {
		a = *template.DeepCopy()
	}
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	pin := corev1.NodeSelectorRequirement{Key: nodeNameField, Operator: corev1.NodeSelectorOpIn, Values: []string{node}}
	req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if req == nil || len(req.NodeSelectorTerms) == 0 {
		a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{pin}}},
		}
		return &a
	}
	for i := range req.NodeSelectorTerms {
		// Ours first so NodeOf finds it at once.
		req.NodeSelectorTerms[i].MatchFields = append([]corev1.NodeSelectorRequirement{pin}, req.NodeSelectorTerms[i].MatchFields...)
	}
	return &a
}

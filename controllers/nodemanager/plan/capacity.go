package plan

import "github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"

// StaticCapacityDrift says whether a kept NodeManager of a Static pool advertises something
// other than the pool's static capacity, and so must be resized. The RM forgets runtime
// resizes on re-registration and failover, so this is compared every reconcile, and written
// only on a difference. Koordinator pools belong to the capacity controller; RMs without
// totalResource (before Hadoop 3.3) cannot be compared.
func StaticCapacityDrift(spec v1alpha1.CapacitySpec, rm RMNode) (v1alpha1.Resources, bool) {
	if spec.Source == v1alpha1.CapacityKoordinator || spec.Static == nil || !rm.Registered || !rm.HasTotal || rm.Decommissioning {
		return v1alpha1.Resources{}, false
	}
	s := *spec.Static
	return s, rm.TotalVCores != int64(s.VCores) || rm.TotalMemoryMB != s.MemoryMB
}

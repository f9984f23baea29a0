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

// capacityDrift is the resize of a kept NodeManager whose RM capacity drifted from the
// static one (nil when none, or when the RM cannot be written).
func capacityDrift(in Input, p Pod) *v1alpha1.Resources {
	if !in.RMReachable {
		return nil
	}
	want, drift := StaticCapacityDrift(in.Capacity, p.RM)
	if !drift {
		return nil
	}
	return &want
}

// restoredCapacity is what a cancelled drain gives back: the static capacity to the RM
// (resident Koordinator pools leave that to the capacity controller) and, as the guarder's
// target, instead of the drain's zero.
func restoredCapacity(in Input) (rm, guarder *v1alpha1.Resources) {
	s := in.Capacity.Static
	if s == nil {
		return nil, nil
	}
	static := *s
	if in.Capacity.Source != v1alpha1.CapacityKoordinator && in.RMReachable {
		rm = &static
	}
	return rm, &static
}

// staticIPReleasable: a terminating pod lets its StaticIP go once YARN no longer lists its
// node as active, so the address (and YARN NodeId) cannot be reused while the RM still
// tracks the old NodeManager. With the RM unreachable it waits.
func staticIPReleasable(in Input, p Pod) bool {
	return p.HoldsStaticIPFinalizer && in.RMReachable && !p.RM.Registered
}

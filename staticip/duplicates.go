package staticip

import (
	"net/netip"
	"sort"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// FindDuplicates returns, for every StaticIP whose address an older StaticIP already uses
// (in any namespace), the older one that keeps the address. The oldest by creation time wins;
// ties (same second) are broken by namespace/name so every replica reaches the same answer.
// Addresses are compared as IPs, so "2001:db8::1" and "2001:DB8:0::1" collide.
func FindDuplicates(all []v1alpha1.StaticIP) map[types.NamespacedName]types.NamespacedName {
	byAddr := map[string][]*v1alpha1.StaticIP{}
	for i := range all {
		sip := &all[i]
		byAddr[NormalizeAddress(sip.Spec.Address)] = append(byAddr[NormalizeAddress(sip.Spec.Address)], sip)
	}
	dups := map[types.NamespacedName]types.NamespacedName{}
	for _, group := range byAddr {
		if len(group) < 2 {
			continue
		}
		sort.Slice(group, func(i, j int) bool { return olderFirst(group[i], group[j]) })
		owner := key(group[0])
		for _, later := range group[1:] {
			dups[key(later)] = owner
		}
	}
	return dups
}

func olderFirst(a, b *v1alpha1.StaticIP) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

func key(sip *v1alpha1.StaticIP) types.NamespacedName {
	return types.NamespacedName{Namespace: sip.Namespace, Name: sip.Name}
}

// NormalizeAddress makes equal IPs equal strings (e.g. for an index); an unparsable address
// (CEL rejects those) is kept verbatim.
func NormalizeAddress(s string) string {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String()
	}
	return s
}

package staticippolicy

import (
	"net/netip"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// FindDuplicates returns, for every StaticIP whose address an older StaticIP already uses
// (in any namespace), the older one that keeps the address. The oldest by creation time wins.
// Creation times have a one-second resolution, so two made in the same second tie: the one
// already bound to a NodeManager keeps the address (taking it away would cut a running NM off
// its identity), and only then namespace/name decide, so every replica reaches the same answer.
// Addresses are compared as IPs, so "2001:db8::1" and "2001:DB8:0::1" collide.
func FindDuplicates(all []v1alpha1.StaticIP) map[types.NamespacedName]types.NamespacedName {
	return findDuplicatesBy(all, func(sip *v1alpha1.StaticIP) string { return NormalizeAddress(sip.Spec.Address) })
}

// FindFQDNDuplicates is FindDuplicates for host names: two StaticIPs with one FQDN would give
// two NodeManagers the same YARN NodeId host and the same nm/<fqdn> keytab principal, so the
// later one is a duplicate, with the same precedence as for addresses. Names compare
// case-insensitively and without a trailing dot, as DNS does.
func FindFQDNDuplicates(all []v1alpha1.StaticIP) map[types.NamespacedName]types.NamespacedName {
	return findDuplicatesBy(all, func(sip *v1alpha1.StaticIP) string { return NormalizeFQDN(sip.Spec.FQDN) })
}

func findDuplicatesBy(all []v1alpha1.StaticIP, keyOf func(*v1alpha1.StaticIP) string) map[types.NamespacedName]types.NamespacedName {
	groups := map[string][]*v1alpha1.StaticIP{}
	for i := range all {
		sip := &all[i]
		k := keyOf(sip)
		groups[k] = append(groups[k], sip)
	}
	dups := map[types.NamespacedName]types.NamespacedName{}
	for _, group := range groups {
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
	if aBound, bBound := a.Status.Binding != nil, b.Status.Binding != nil; aBound != bBound {
		return aBound
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}

func key(sip *v1alpha1.StaticIP) types.NamespacedName {
	return types.NamespacedName{Namespace: sip.Namespace, Name: sip.Name}
}

// NormalizeFQDN makes equal host names equal strings: lower case, no trailing dot.
func NormalizeFQDN(s string) string { return strings.TrimSuffix(strings.ToLower(s), ".") }

// NormalizeAddress makes equal IPs equal strings (e.g. for an index); an unparsable address
// (CEL rejects those) is kept verbatim.
func NormalizeAddress(s string) string {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String()
	}
	return s
}

package plan

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestStaticCapacityDrift(t *testing.T) {
	static := v1alpha1.CapacitySpec{Source: v1alpha1.CapacityStatic, Static: &v1alpha1.Resources{VCores: 10, MemoryMB: 30720}}
	at := RMNode{Registered: true, HasTotal: true, TotalVCores: 10, TotalMemoryMB: 30720}
	zeroed := RMNode{Registered: true, HasTotal: true}
	cases := []struct {
		name string
		spec v1alpha1.CapacitySpec
		rm   RMNode
		want bool
	}{
		{"matches", static, at, false},
		{"drifted (forgotten resize)", static, zeroed, true},
		{"unregistered", static, RMNode{}, false},
		{"pre-3.3: no totals", static, RMNode{Registered: true}, false},
		{"koordinator pool", v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator, Static: static.Static}, zeroed, false},
		{"no static capacity", v1alpha1.CapacitySpec{}, zeroed, false},
		{"decommissioning", static, RMNode{Registered: true, HasTotal: true, Decommissioning: true}, false},
	}
	for _, tc := range cases {
		if _, got := StaticCapacityDrift(tc.spec, tc.rm); got != tc.want {
			t.Errorf("%s: got %t", tc.name, got)
		}
	}
}

package staticippolicy_test

import (
	"reflect"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

func TestFindDuplicates(t *testing.T) {
	nn := func(ns, name string) types.NamespacedName { return types.NamespacedName{Namespace: ns, Name: name} }
	tests := []struct {
		name string
		all  []v1alpha1.StaticIP
		want map[types.NamespacedName]types.NamespacedName
	}{
		{
			name: "distinct addresses",
			all:  []v1alpha1.StaticIP{sip("a", address("10.0.0.1")), sip("b", address("10.0.0.2"))},
			want: map[types.NamespacedName]types.NamespacedName{},
		},
		{
			name: "across namespaces the later one loses, whatever the list order",
			all: []v1alpha1.StaticIP{
				sip("late", namespace("team-b"), address("10.0.0.1"), created(time.Minute)),
				sip("early", namespace("team-a"), address("10.0.0.1")),
			},
			want: map[types.NamespacedName]types.NamespacedName{nn("team-b", "late"): nn("team-a", "early")},
		},
		{
			name: "same second: namespace then name break the tie",
			all: []v1alpha1.StaticIP{
				sip("x", namespace("b"), address("10.0.0.1")),
				sip("y", namespace("a"), address("10.0.0.1")),
				sip("z", namespace("a"), address("10.0.0.1")),
			},
			want: map[types.NamespacedName]types.NamespacedName{nn("b", "x"): nn("a", "y"), nn("a", "z"): nn("a", "y")},
		},
		{
			name: "IPv6 spellings of one address collide",
			all: []v1alpha1.StaticIP{
				sip("a", address("2001:db8::1")),
				sip("b", address("2001:DB8:0:0::1"), created(time.Second)),
			},
			want: map[types.NamespacedName]types.NamespacedName{nn("ns", "b"): nn("ns", "a")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := staticippolicy.FindDuplicates(tc.all); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSameSecondDuplicateKeepsTheBoundOne: two StaticIPs with one address created in the same
// second tie on creation time; the one a NodeManager already holds keeps the address, whatever
// the names say. Across seconds the older one still wins.
func TestSameSecondDuplicateKeepsTheBoundOne(t *testing.T) {
	nn := func(ns, name string) types.NamespacedName { return types.NamespacedName{Namespace: ns, Name: name} }
	bound := sip("zz-bound", namespace("b"), boundTo("pool", "nm-0", "node-1"))
	free := sip("aa-free", namespace("a"))
	for _, order := range [][]v1alpha1.StaticIP{{bound, free}, {free, bound}} {
		got := staticippolicy.FindDuplicates(order)
		if want := map[types.NamespacedName]types.NamespacedName{nn("a", "aa-free"): nn("b", "zz-bound")}; !reflect.DeepEqual(got, want) {
			t.Errorf("same second: got %v, want the bound one kept", got)
		}
	}
	older := sip("aa-free", namespace("a"), created(-time.Second))
	if got := staticippolicy.FindDuplicates([]v1alpha1.StaticIP{bound, older}); got[nn("b", "zz-bound")] != nn("a", "aa-free") {
		t.Errorf("a second apart: got %v, want the older one kept", got)
	}
	both := sip("aa-bound", namespace("a"), boundTo("pool", "nm-1", "node-2"))
	if got := staticippolicy.FindDuplicates([]v1alpha1.StaticIP{bound, both}); got[nn("b", "zz-bound")] != nn("a", "aa-bound") {
		t.Errorf("both bound in the same second: got %v, want namespace/name to decide", got)
	}
}

func TestFindFQDNDuplicates(t *testing.T) {
	nn := func(ns, name string) types.NamespacedName { return types.NamespacedName{Namespace: ns, Name: name} }
	fqdn := func(f string) func(*v1alpha1.StaticIP) { return func(s *v1alpha1.StaticIP) { s.Spec.FQDN = f } }
	all := []v1alpha1.StaticIP{
		sip("late", address("10.0.0.2"), fqdn("NM-1.example.test."), created(time.Minute)),
		sip("early", address("10.0.0.1"), fqdn("nm-1.example.test")),
		sip("other", address("10.0.0.3"), fqdn("nm-2.example.test")),
	}
	want := map[types.NamespacedName]types.NamespacedName{nn("ns", "late"): nn("ns", "early")}
	if got := staticippolicy.FindFQDNDuplicates(all); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v (case and trailing dot do not make another name)", got, want)
	}
}

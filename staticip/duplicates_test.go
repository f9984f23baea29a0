package staticip_test

import (
	"reflect"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticip"
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
			if got := staticip.FindDuplicates(tc.all); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

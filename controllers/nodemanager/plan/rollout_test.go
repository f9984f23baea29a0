package plan

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestResolveMaxUnavailable(t *testing.T) {
	pct := func(s string) *intstr.IntOrString { v := intstr.FromString(s); return &v }
	cnt := func(n int) *intstr.IntOrString { v := intstr.FromInt32(int32(n)); return &v }
	cases := []struct {
		name    string
		v       *intstr.IntOrString
		desired int
		want    int
	}{
		{"default 10% of 10", nil, 10, 1},
		{"default 10% of 2000", nil, 2000, 200},
		{"percent rounds up", pct("10%"), 11, 2},
		{"never below one", pct("10%"), 0, 1},
		{"count", cnt(2), 10, 2},
		{"count above the pool", cnt(20), 10, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ResolveMaxUnavailable(tc.v, tc.desired); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestDecideRollout(t *testing.T) {
	old := func(name string) RolloutPod {
		return RolloutPod{Name: name, Outdated: true, Available: true, Created: t0.Add(-time.Hour)}
	}
	cur := func(name string) RolloutPod {
		return RolloutPod{Name: name, Available: true, Created: t0.Add(-time.Hour)}
	}
	down := func(p RolloutPod) RolloutPod { p.Available = false; return p }
	leaving := func(p RolloutPod) RolloutPod { p.Available, p.Leaving = false, true; return p }
	fresh := func(p RolloutPod) RolloutPod { p.Created = t0.Add(-time.Minute); return p }
	cases := []struct {
		name     string
		strategy v1alpha1.UpdateStrategyType
		max      int
		desired  int // -1: one per pod
		pods     []RolloutPod
		want     string
		paused   string
	}{
		{"up to date: nothing", "", 2, -1, []RolloutPod{cur("a"), cur("b")}, "", ""},
		{"starts maxUnavailable at once, by name", "", 2, -1, []RolloutPod{old("c"), old("a"), old("b")}, "a b", ""},
		{"draining ones count against the budget", "", 2, -1, []RolloutPod{leaving(old("a")), old("b"), old("c")}, "b", ""},
		{"a wanted node without a pod counts too", "", 2, 4, []RolloutPod{leaving(old("a")), old("b"), old("c")}, "", ""},
		{"a new pod not yet available counts too", "", 2, -1, []RolloutPod{fresh(down(cur("a"))), leaving(old("b")), old("c")}, "", ""},
		{"outdated and down anyway: replaced whatever the budget", "", 1, -1, []RolloutPod{leaving(old("a")), down(old("b")), old("c")}, "b", ""},
		{"new pod stuck past the deadline pauses", "", 3, -1, []RolloutPod{down(cur("a")), old("b"), old("c")}, "", "a"},
		{"paused still replaces outdated pods that are down", "", 3, -1, []RolloutPod{down(cur("a")), down(old("b")), old("c")}, "b", "a"},
		{"a draining updated pod does not pause", "", 2, -1, []RolloutPod{leaving(cur("a")), old("b")}, "b", ""},
		{"OnDelete replaces nothing", v1alpha1.UpdateOnDelete, 2, -1, []RolloutPod{old("a"), down(old("b"))}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			strategy := tc.strategy
			if strategy == "" {
				strategy = v1alpha1.UpdateRollingUpdate
			}
			desired := tc.desired
			if desired < 0 {
				desired = len(tc.pods)
			}
			res := DecideRollout(RolloutInput{Strategy: strategy, MaxUnavailable: tc.max, ProgressDeadline: 10 * time.Minute,
				Pods: tc.pods, Desired: desired, Now: t0})
			if got := strings.Join(res.Replace, " "); got != tc.want {
				t.Errorf("replace %q, want %q", got, tc.want)
			}
			if res.Paused != tc.paused {
				t.Errorf("paused %q, want %q", res.Paused, tc.paused)
			}
		})
	}
}

package plan

import (
	"testing"
	"time"
)

// A pod marked Replace drains although its node is still wanted, is never cancelled back to
// Keep by the open window, and its node is created again once the old pod is gone.
func TestDecideReplace(t *testing.T) {
	replace := func(p Pod) Pod { p.Replace = true; return p }
	cases := []struct {
		name  string
		nodes []Node
		pods  []Pod
		want  string
	}{
		{"running pod asked to drain starts a drain", nodes("a", "b"), []Pod{replace(running("a")), running("b")}, "a:StartDrain b:Keep"},
		{"a replacement drain is not cancelled by the open window", nodes("a"), []Pod{replace(draining("a", t0, t0.Add(time.Hour)))}, "a:ContinueDrain"},
		{"drained replacement is deleted", nodes("a"), []Pod{func() Pod {
			p := replace(draining("a", t0.Add(-time.Minute), t0.Add(time.Hour)))
			p.RM = RMNode{Registered: true, HasTotal: true}
			return p
		}()}, "a:Delete"},
		{"terminating replacement holds its node", nodes("a"), []Pod{func() Pod { p := replace(running("a")); p.Terminating = true; return p }()}, "a:WaitGone"},
		{"the node gets a new pod once the old one is gone", nodes("a"), nil, "a:Create"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.Nodes = tc.nodes
			in.Pods = tc.pods
			res := Decide(in)
			if got := summary(res); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if res.Desired != int32(len(in.Nodes)) {
				t.Errorf("desired %d, want %d: a replacement keeps its node wanted", res.Desired, len(in.Nodes))
			}
		})
	}
}

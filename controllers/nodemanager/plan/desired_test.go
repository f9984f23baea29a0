package plan

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func nodes(names ...string) []Node {
	var out []Node
	for _, n := range names {
		out = append(out, Node{Name: n, Ready: true, Schedulable: true})
	}
	return out
}

func running(node string) Pod {
	return Pod{Name: "p-" + node, Node: node, RM: RMNode{Registered: true, HasTotal: true, TotalVCores: 10, TotalMemoryMB: 1024, NumContainers: 2}}
}

func draining(node string, started time.Time, deadline time.Time) Pod {
	p := running(node)
	p.Drain = &DrainState{Started: started, Deadline: deadline}
	return p
}

// summary renders decisions as "node:Action" sorted, which keeps the tables readable.
func summary(r Result) string {
	var s []string
	for _, d := range r.Decisions {
		s = append(s, fmt.Sprintf("%s:%s", d.Node, d.Action))
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

func baseInput() Input {
	return Input{
		Now:              t0,
		Demand:           Demand{WindowState: WindowState{Phase: PhaseOpen}, Want: AllEligible},
		MaxNodes:         -1,
		FreeStaticIPs:    100,
		NewDrainDeadline: t0.Add(time.Hour),
		Drain:            DrainPolicy{Strategy: v1alpha1.DecommissionDrain, ShedAfter: 30 * time.Minute},
		RMReachable:      true,
	}
}

func TestDecide(t *testing.T) {
	open := Demand{WindowState: WindowState{Phase: PhaseOpen}, Want: AllEligible}
	closed := Demand{WindowState: WindowState{Phase: PhaseDraining}}
	cases := []struct {
		name    string
		mutate  func(*Input)
		want    string
		desired int32
		shortIP int32
		shortN  int32
	}{
		{"window opens: create everywhere", func(in *Input) { in.Nodes = nodes("a", "b", "c") }, "a:Create b:Create c:Create", 3, 0, 0},
		{"steady: keep", func(in *Input) {
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{running("a"), running("b")}
		}, "a:Keep b:Keep", 2, 0, 0},
		{"window ends: start drains", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{running("a"), running("b")}
		}, "a:StartDrain b:StartDrain", 0, 0, 0},
		{"window reopens during drain: cancel", func(in *Input) {
			in.Nodes = nodes("a")
			in.Pods = []Pod{draining("a", t0, t0.Add(time.Hour))}
		}, "a:CancelDrain", 1, 0, 0},
		{"drain finished: numContainers 0 at zero capacity", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a")
			p := draining("a", t0.Add(-time.Minute), t0.Add(time.Hour))
			p.RM = RMNode{Registered: true, HasTotal: true}
			in.Pods = []Pod{p}
		}, "a:Delete", 0, 0, 0},
		{"drain deadline passed", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a")
			in.Pods = []Pod{draining("a", t0.Add(-2*time.Hour), t0.Add(-time.Hour))}
		}, "a:Delete", 0, 0, 0},
		{"drain in progress", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a")
			in.Pods = []Pod{draining("a", t0.Add(-time.Minute), t0.Add(time.Hour))}
		}, "a:ContinueDrain", 0, 0, 0},
		{"maxNodes: prefer nodes already running, then by name", func(in *Input) {
			in.MaxNodes = 2
			in.Nodes = nodes("a", "b", "c", "d")
			in.Pods = []Pod{running("c")}
		}, "a:Create c:Keep", 2, 0, 0},
		{"maxNodes lowered: surplus drains, lowest rank first", func(in *Input) {
			in.MaxNodes = 1
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{running("a"), running("b")}
		}, "a:Keep b:StartDrain", 1, 0, 0},
		{"sticky nodes preferred over names", func(in *Input) {
			in.MaxNodes = 1
			in.Nodes = nodes("a", "b")
			in.Nodes[1].Sticky = true
		}, "b:Create", 1, 0, 0},
		{"running before draining before sticky", func(in *Input) {
			in.MaxNodes = 2
			in.Nodes = nodes("a", "b", "c")
			in.Nodes[0].Sticky = true
			in.Pods = []Pod{draining("b", t0, t0.Add(time.Hour)), running("c")}
		}, "b:CancelDrain c:Keep", 2, 0, 0},
		{"not enough StaticIPs", func(in *Input) {
			in.FreeStaticIPs = 1
			in.Nodes = nodes("a", "b", "c")
			in.Pods = []Pod{running("c")}
		}, "a:Create c:Keep", 3, 1, 0},
		{"no StaticIPs at all", func(in *Input) {
			in.FreeStaticIPs = 0
			in.Nodes = nodes("a", "b")
		}, "", 2, 2, 0},
		{"not-ready and unschedulable nodes get nothing new", func(in *Input) {
			in.Nodes = nodes("a", "b", "c")
			in.Nodes[0].Ready = false
			in.Nodes[1].Schedulable = false
		}, "c:Create", 1, 0, 0},
		{"node cordoned with a pod: drain it", func(in *Input) {
			in.Nodes = nodes("a")
			in.Nodes[0].Schedulable = false
			in.Pods = []Pod{running("a")}
		}, "a:StartDrain", 0, 0, 0},
		{"node gone: delete", func(in *Input) {
			in.Nodes = nodes("a")
			in.NodeExists = func(n string) bool { return n == "a" }
			in.Pods = []Pod{running("a"), running("gone")}
		}, "a:Keep gone:Delete", 1, 0, 0},
		{"dead pod deleted, node waits for it", func(in *Input) {
			in.Nodes = nodes("a")
			p := running("a")
			p.Dead = true
			in.Pods = []Pod{p}
		}, "a:Delete", 1, 0, 0},
		{"terminating pod: wait, no second pod", func(in *Input) {
			in.Nodes = nodes("a")
			p := running("a")
			p.Terminating = true
			in.Pods = []Pod{p}
		}, "a:WaitGone", 1, 0, 0},
		{"two pods for one node: keep the first", func(in *Input) {
			in.Nodes = nodes("a")
			p2 := running("a")
			p2.Name = "p-a2"
			in.Pods = []Pod{running("a"), p2}
		}, "a:Delete a:Keep", 1, 0, 0},
		{"on-demand asks more than eligible", func(in *Input) {
			in.Demand = Demand{WindowState: WindowState{Phase: PhaseOpen}, Want: 5}
			in.Nodes = nodes("a", "b")
		}, "a:Create b:Create", 5, 0, 3},
		{"on-demand lowered", func(in *Input) {
			in.Demand = Demand{WindowState: WindowState{Phase: PhaseOpen}, Want: 1}
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{running("a"), running("b")}
		}, "a:Keep b:StartDrain", 1, 0, 0},
		{"closed with a pod that never started: delete at once", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a")
			p := running("a")
			p.RM, p.NeverStarted = RMNode{}, true
			in.Pods = []Pod{p}
		}, "a:Delete", 0, 0, 0},
		{"closed with a running pod the RM does not list (re-registration gap): drain, never delete", func(in *Input) {
			in.Demand = closed
			in.Nodes = nodes("a")
			p := running("a")
			p.RM = RMNode{}
			in.Pods = []Pod{p}
		}, "a:StartDrain", 0, 0, 0},
		{"RM unreachable: drains wait, nothing deleted", func(in *Input) {
			in.Demand = closed
			in.RMReachable = false
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{running("a"), draining("b", t0.Add(-time.Minute), t0.Add(time.Hour))}
		}, "a:StartDrain b:ContinueDrain", 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.Demand = open
			tc.mutate(&in)
			r := Decide(in)
			if got := summary(r); got != tc.want {
				t.Errorf("decisions = %q, want %q", got, tc.want)
			}
			if r.Desired != tc.desired || r.ShortOfStaticIPs != tc.shortIP || r.ShortOfNodes != tc.shortN {
				t.Errorf("desired/shortIP/shortNodes = %d/%d/%d, want %d/%d/%d", r.Desired, r.ShortOfStaticIPs, r.ShortOfNodes, tc.desired, tc.shortIP, tc.shortN)
			}
		})
	}
}

func TestDecideStartDrainCarriesDeadlineAndSteps(t *testing.T) {
	in := baseInput()
	in.Demand = Demand{WindowState: WindowState{Phase: PhaseDraining}}
	in.Nodes = nodes("a")
	in.Pods = []Pod{running("a")}
	r := Decide(in)
	d := r.Decisions[0]
	if d.Action != ActionStartDrain || !d.DrainDeadline.Equal(t0.Add(time.Hour)) || !d.Drain.Has(StepSetCapacityZero) {
		t.Fatalf("got %+v", d)
	}
	if !r.WakeAt.Equal(t0.Add(30 * time.Minute)) {
		t.Fatalf("wake at %s, want the shed time", r.WakeAt)
	}
}

// TestDecideIsStable checks that the same world gives the same choice whatever the input
// order, so reconciles do not flap between nodes.
func TestDecideIsStable(t *testing.T) {
	in := baseInput()
	in.MaxNodes = 3
	in.Nodes = nodes("e", "d", "c", "b", "a")
	in.Pods = []Pod{running("d")}
	first := summary(Decide(in))
	in.Nodes = nodes("a", "b", "c", "d", "e")
	if again := summary(Decide(in)); again != first {
		t.Fatalf("%q != %q", again, first)
	}
	if first != "a:Create b:Create d:Keep" {
		t.Fatalf("got %q", first)
	}
}

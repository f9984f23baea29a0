package plan

import (
	"reflect"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// The decisions below were taken in the controller's apply step before; Decide returns them
// now, so apply only carries them out.

// withHost gives a pod the YARN NodeId the controller reads from its annotation.
func withHost(p Pod) Pod {
	p.YARNHost = p.Node + ".example.com"
	p.NodeID = p.YARNHost + ":8041"
	return p
}

func gracefulInput(latest *ExcludeJob) Input {
	in := baseInput()
	in.Drain.Strategy = v1alpha1.DecommissionYarnGraceful
	in.ExcludeFile = &ExcludeFileInput{PoolHosts: []string{"a.example.com", "b.example.com", "c.example.com"}, Latest: latest}
	return in
}

func TestDecideExcludeFileFromDecisions(t *testing.T) {
	closed := Demand{WindowState: WindowState{Phase: PhaseDraining}}
	finished := func(seq int64, hosts ...string) *ExcludeJob {
		return &ExcludeJob{Seq: seq, Hosts: hosts, Finished: true, FinishedAt: t0.Add(-time.Hour)}
	}
	drainingPod := func(node string, deadline time.Time, excluded bool) Pod {
		p := withHost(draining(node, t0.Add(-time.Minute), deadline))
		p.Drain.ExcludeRequested = excluded
		return p
	}
	cases := []struct {
		name    string
		in      Input
		want    ExcludeDecision
		wakeAt  time.Time // zero: not checked
		summary string
	}{
		{name: "strategy Drain: no exclude file", in: func() Input {
			in := baseInput()
			in.Demand = closed
			in.Nodes = nodes("a")
			in.Pods = []Pod{withHost(running("a"))}
			return in
		}(), summary: "a:StartDrain"},
		{name: "drain starts: the host is excluded for the new drain's length", in: func() Input {
			in := gracefulInput(nil)
			in.Demand = closed
			in.Nodes = nodes("a", "b")
			in.Pods = []Pod{withHost(running("a")), withHost(running("b"))}
			in.MaxNodes = 1
			in.Demand = Demand{WindowState: WindowState{Phase: PhaseOpen}, Want: AllEligible}
			return in
		}(), want: ExcludeDecision{Create: true, Exclude: []string{"b.example.com"}, Include: []string{"a.example.com", "c.example.com"}, Seq: 1, Timeout: time.Hour},
			summary: "a:Keep b:StartDrain"},
		{name: "drain goes on and a drained pod is deleted: both stay excluded, the longest drain bounds the Job", in: func() Input {
			in := gracefulInput(finished(4, "a.example.com"))
			in.Demand = closed
			in.Nodes = nodes("a", "b")
			done := drainingPod("b", t0.Add(30*time.Minute), true)
			done.RM = RMNode{Registered: true, Decommissioning: false, Left: true}
			in.Pods = []Pod{drainingPod("a", t0.Add(2*time.Hour), true), done}
			return in
		}(), want: ExcludeDecision{Create: true, Exclude: []string{"a.example.com", "b.example.com"}, Include: []string{"c.example.com"}, Seq: 5, Timeout: 2 * time.Hour},
			summary: "a:ContinueDrain b:Delete"},
		{name: "file already matches: no Job", in: func() Input {
			in := gracefulInput(finished(2, "a.example.com"))
			in.Demand = closed
			in.Nodes = nodes("a")
			in.Pods = []Pod{drainingPod("a", t0.Add(time.Hour), true)}
			return in
		}(), want: ExcludeDecision{}, summary: "a:ContinueDrain"},
		{name: "drain cancelled: the host leaves the file", in: func() Input {
			in := gracefulInput(finished(2, "a.example.com"))
			in.Nodes = nodes("a")
			in.Pods = []Pod{drainingPod("a", t0.Add(time.Hour), true)}
			return in
		}(), want: ExcludeDecision{Create: true, Include: []string{"a.example.com", "b.example.com", "c.example.com"}, Seq: 3},
			summary: "a:CancelDrain"},
		{name: "terminating pod that never drained is not excluded", in: func() Input {
			in := gracefulInput(finished(2, "a.example.com"))
			in.Nodes = nodes("a")
			p := withHost(running("a"))
			p.Terminating = true
			in.Pods = []Pod{p}
			return in
		}(), want: ExcludeDecision{Create: true, Include: []string{"a.example.com", "b.example.com", "c.example.com"}, Seq: 3},
			summary: "a:WaitGone"},
		{name: "failed Job: the retry time is a wake-up", in: func() Input {
			in := gracefulInput(&ExcludeJob{Seq: 1, Finished: true, Failed: true, FinishedAt: t0.Add(-time.Minute)})
			in.Nodes = nodes("a")
			in.Pods = []Pod{withHost(running("a"))}
			return in
		}(), want: ExcludeDecision{RetryAt: t0.Add(-time.Minute + ExcludeRetryAfter)}, wakeAt: t0.Add(-time.Minute + ExcludeRetryAfter),
			summary: "a:Keep"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Decide(tc.in)
			if got := summary(res); got != tc.summary {
				t.Fatalf("decisions %q, want %q", got, tc.summary)
			}
			if !reflect.DeepEqual(res.Exclude, tc.want) {
				t.Errorf("exclude %+v, want %+v", res.Exclude, tc.want)
			}
			if !tc.wakeAt.IsZero() && !res.WakeAt.Equal(tc.wakeAt) {
				t.Errorf("wakeAt %s, want %s", res.WakeAt, tc.wakeAt)
			}
		})
	}
}

func TestDecideLabels(t *testing.T) {
	labelled := func(node string, labels ...string) Pod {
		p := withHost(running(node))
		p.RM.Labels = labels
		return p
	}
	unregistered := withHost(running("d"))
	unregistered.RM = RMNode{}
	cases := []struct {
		name  string
		label *NodeLabelInput
		pods  []Pod
		want  LabelDecision
	}{
		{"no partition (or labels unknown): nothing", nil, []Pod{labelled("a")}, LabelDecision{}},
		{"partition missing: create it, then label", &NodeLabelInput{Name: "elastic", Exclusive: true}, []Pod{labelled("a")},
			LabelDecision{Create: true, Name: "elastic", Exclusive: true, Relabel: []string{"a.example.com:8041"}}},
		{"only nodes not in the partition alone", &NodeLabelInput{Name: "elastic", Exists: true},
			[]Pod{labelled("a", "elastic"), labelled("b"), labelled("c", "elastic", "gpu"), unregistered},
			LabelDecision{Name: "elastic", Relabel: []string{"b.example.com:8041", "c.example.com:8041"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.NodeLabel = tc.label
			for _, p := range tc.pods {
				in.Nodes = append(in.Nodes, nodes(p.Node)...)
			}
			in.Pods = tc.pods
			if got := Decide(in).Labels; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}

	t.Run("leaving nodes are left alone, a cancelled drain is labelled", func(t *testing.T) {
		in := baseInput()
		in.NodeLabel = &NodeLabelInput{Name: "elastic", Exists: true}
		in.Nodes = nodes("a", "b")
		replaced := withHost(running("b"))
		replaced.Replace = true
		in.Pods = []Pod{withHost(draining("a", t0, t0.Add(time.Hour))), replaced}
		res := Decide(in)
		if got := summary(res); got != "a:CancelDrain b:StartDrain" {
			t.Fatalf("decisions %q", got)
		}
		if want := []string{"a.example.com:8041"}; !reflect.DeepEqual(res.Labels.Relabel, want) {
			t.Errorf("relabel %v, want %v", res.Labels.Relabel, want)
		}
	})
}

func TestDecideCapacityWrites(t *testing.T) {
	static := &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}
	at := func(p Pod) Pod { p.RM.TotalVCores, p.RM.TotalMemoryMB = 4, 8192; return p }
	cases := []struct {
		name        string
		capacity    v1alpha1.CapacitySpec
		rmReachable bool
		pod         Pod
		action      NodeAction
		setCapacity *v1alpha1.Resources
		shedTarget  *v1alpha1.Resources
	}{
		{"kept at its capacity: no write", v1alpha1.CapacitySpec{Static: static}, true, at(running("a")), ActionKeep, nil, nil},
		{"kept, the RM forgot the resize: re-apply", v1alpha1.CapacitySpec{Static: static}, true, running("a"), ActionKeep, static, nil},
		{"kept, RM unreachable: nothing to write to", v1alpha1.CapacitySpec{Static: static}, false, running("a"), ActionKeep, nil, nil},
		{"kept, Koordinator pool: the capacity controller's", v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator, Static: static}, true, running("a"), ActionKeep, nil, nil},
		{"drain cancelled: capacity and guarder target back", v1alpha1.CapacitySpec{Static: static}, true, draining("a", t0, t0.Add(time.Hour)), ActionCancelDrain, static, static},
		{"drain cancelled, Koordinator pool: the guarder's target only", v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator, Static: static}, true, draining("a", t0, t0.Add(time.Hour)), ActionCancelDrain, nil, static},
		{"drain cancelled, RM unreachable: the guarder's target only", v1alpha1.CapacitySpec{Static: static}, false, draining("a", t0, t0.Add(time.Hour)), ActionCancelDrain, nil, static},
		{"drain cancelled, no static capacity: nothing", v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator}, true, draining("a", t0, t0.Add(time.Hour)), ActionCancelDrain, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.Capacity, in.RMReachable = tc.capacity, tc.rmReachable
			in.Nodes = nodes("a")
			in.Pods = []Pod{tc.pod}
			res := Decide(in)
			if len(res.Decisions) != 1 || res.Decisions[0].Action != tc.action {
				t.Fatalf("decisions %s, want a:%s", summary(res), tc.action)
			}
			d := res.Decisions[0]
			if !reflect.DeepEqual(d.SetCapacity, tc.setCapacity) || !reflect.DeepEqual(d.ShedTarget, tc.shedTarget) {
				t.Errorf("setCapacity %v shedTarget %v, want %v %v", d.SetCapacity, d.ShedTarget, tc.setCapacity, tc.shedTarget)
			}
			if d.SetCapacity != nil && d.SetCapacity == tc.capacity.Static {
				t.Error("the decision aliases the spec: a write to it would change the pool's spec")
			}
		})
	}
}

func TestDecideReleaseStaticIP(t *testing.T) {
	terminating := func(registered, finalizer bool) Pod {
		p := running("a")
		p.Terminating, p.HoldsStaticIPFinalizer = true, finalizer
		p.RM.Registered = registered
		return p
	}
	cases := []struct {
		name        string
		pod         Pod
		rmReachable bool
		want        bool
	}{
		{"YARN no longer lists the node: release", terminating(false, true), true, true},
		{"YARN still lists the node: wait", terminating(true, true), true, false},
		{"RM unreachable: wait", terminating(false, true), false, false},
		{"finalizer gone already", terminating(false, false), true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.RMReachable = tc.rmReachable
			in.Nodes = nodes("a")
			in.Pods = []Pod{tc.pod}
			res := Decide(in)
			if summary(res) != "a:WaitGone" {
				t.Fatalf("decisions %s", summary(res))
			}
			if got := res.Decisions[0].ReleaseStaticIP; got != tc.want {
				t.Errorf("ReleaseStaticIP %t, want %t", got, tc.want)
			}
		})
	}
}

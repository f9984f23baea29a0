package discovery_test

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
)

// TestMain lets the test binary also act as the stand-in NM and container-executor of the
// process trees (yarnproctest.StartTree).
func TestMain(m *testing.M) { yarnproctest.Main(m) }

// TestDiscoverRealContainers runs real bash wrappers with real JVMs and finds them in /proc.
func TestDiscoverRealContainers(t *testing.T) {
	const (
		withHandler    = "container_e17_1410901177871_0001_01_000005"
		withoutHandler = "container_e17_1410901177871_0001_01_000006"
	)
	spark := yarnproctest.Start(t, yarnproctest.Options{ContainerID: withHandler, Program: yarnproctest.JVMWithPWRHandler})
	mr := yarnproctest.Start(t, yarnproctest.Options{ContainerID: withoutHandler, Program: yarnproctest.JVMWithoutHandler})

	all, err := discovery.Scanner{ProcRoot: "/proc"}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]discovery.Container{}
	for _, c := range all {
		found[c.ID.String()] = c
	}
	for _, tc := range []struct {
		fc        *yarnproctest.Container
		framework discovery.Framework
		pwr       bool
	}{{spark, discovery.FrameworkSpark, true}, {mr, discovery.FrameworkMapReduce, false}} {
		c, ok := found[tc.fc.ID]
		if !ok {
			t.Fatalf("%s not discovered", tc.fc.ID)
		}
		if c.Leader == nil || c.Leader.PID != tc.fc.Wrapper.Process.Pid || c.PGID != c.Leader.PID {
			t.Errorf("%s: leader %+v, want the bash wrapper pid %d", c.ID, c.Leader, tc.fc.Wrapper.Process.Pid)
		}
		if c.Main == nil || c.Main.PPID != tc.fc.Wrapper.Process.Pid || !discovery.IsJava(c.Main.Argv) {
			t.Errorf("%s: main %+v, want the JVM child of the wrapper", c.ID, c.Main)
		}
		if c.Framework != tc.framework || c.HandlesSIGPWR != tc.pwr {
			t.Errorf("%s: framework %s handlesSIGPWR %v", c.ID, c.Framework, c.HandlesSIGPWR)
		}
		if c.StartedAt.IsZero() || c.RSSBytes <= 0 {
			t.Errorf("%s: start %v rss %d", c.ID, c.StartedAt, c.RSSBytes)
		}
		for _, id := range c.MemberIdentities() {
			if _, err := discovery.Verify("/proc", discovery.DefaultHierarchy, id); err != nil {
				t.Errorf("verify %+v: %v", id, err)
			}
		}
	}
}

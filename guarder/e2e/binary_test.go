package e2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
)

// TestBinaryShedsALinuxContainerExecutorTreeToZero runs the real guarder binary against real
// processes in the shape Hadoop 3's LinuxContainerExecutor gives them (a stand-in NM in its own
// session and group, container-executor parents waiting in it, setsid children running
// launch_container.sh and JVMs), with a fake NM web endpoint reporting the allocations, and
// sheds to zero through the API. The NM and the container-executor parents receive nothing;
// each container leaves by its own path.
func TestBinaryShedsALinuxContainerExecutorTreeToZero(t *testing.T) {
	shedTreeToZeroWithTheBinary(t, yarnproctest.LinuxContainerExecutor, "0041")
}

// TestBinaryShedsADefaultContainerExecutorTreeToZero: the same with Hadoop 3's
// DefaultContainerExecutor (the wrapper script waits in the NM's group).
func TestBinaryShedsADefaultContainerExecutorTreeToZero(t *testing.T) {
	shedTreeToZeroWithTheBinary(t, yarnproctest.DefaultContainerExecutor, "0042")
}

func shedTreeToZeroWithTheBinary(t *testing.T, executor yarnproctest.Executor, app string) {
	tree := yarnproctest.StartShedTree(t, executor, app)
	nm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, tree.NMAllocationsJSON())
	}))
	defer nm.Close()
	g := startGuarder(t, nm.URL, []string{"-scan-interval", "200ms", "-grace-period", "3s"}, []string{contract.EnvSignalPolicy + "=Graceful"})
	if code, _ := g.post(t, "Bearer "+g.Token, `{"vcores":0,"memoryMB":0,"reason":"shed to zero"}`); code != 200 {
		t.Fatalf("target: %d\n%s", code, g.Stderr.String())
	}
	tree.WaitLaunchersExited(t, 90*time.Second)
	// The Tez JVM outlives its session leader until SIGKILL; wait for the guarder to say so.
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(g.Stderr.String(),
		`"msg":"force-killed container after its grace period","containerId":"`+tree.Tez.ID+`"`); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no force kill of %s\n%s", tree.Tez.ID, g.Stderr.String())
		}
	}
	tree.CheckLeftByTheirProperPaths(t)
}

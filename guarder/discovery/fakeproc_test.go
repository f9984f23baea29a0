package discovery_test

import (
	"errors"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
)

func TestScanPreparedTree(t *testing.T) {
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const (
		spark = "container_e17_1410901177871_0001_01_000005"
		am    = "container_e17_1410901177871_0002_01_000001"
	)
	must(t, tree.YarnContainer(spark, 100, 5000, "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", true))
	must(t, tree.YarnContainer(am, 200, 7000, "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", false))
	// A grandchild without markers of its own belongs to its ancestor's container.
	must(t, tree.Write(fakeproc.Proc{PID: 102, PPID: 101, PGID: 100, Comm: "python", StartTicks: 6000, Argv: []string{"python3"}}))
	// A child that is marked only by argv (cgroup unreadable, environ scrubbed).
	must(t, tree.Write(fakeproc.Proc{PID: 300, PPID: 1, PGID: 300, Comm: "sh", StartTicks: 8000,
		Argv: []string{"sh", "/local/appcache/application_1410901177871_0003/container_1410901177871_0003_01_000002/launch.sh"}}))
	// Unrelated processes, including a zombie and one in another cgroup hierarchy.
	must(t, tree.Write(fakeproc.Proc{PID: 1, PGID: 1, Comm: "init", Argv: []string{"/sbin/init"}}))
	must(t, tree.Write(fakeproc.Proc{PID: 400, PPID: 1, PGID: 400, Comm: "nm", Argv: []string{"java", "NodeManager"}}))
	must(t, tree.Write(fakeproc.Proc{PID: 401, PPID: 400, PGID: 400, State: 'Z', Comm: "x"}))

	got, err := discovery.Scanner{ProcRoot: tree.Root, PageSize: 4096}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("want 3 containers, got %d: %+v", len(got), got)
	}
	byID := map[string]discovery.Container{}
	for _, c := range got {
		byID[c.ID.String()] = c
	}
	c := byID[spark]
	if c.ID.String() != spark || len(c.Processes) != 3 || c.Leader == nil || c.Leader.PID != 100 ||
		c.Main == nil || c.Main.PID != 101 || c.PGID != 100 || !c.HandlesSIGPWR ||
		c.Framework != discovery.FrameworkSpark || c.Role != discovery.RoleTask {
		t.Fatalf("spark container: %+v", c)
	}
	if want := time.Unix(fakeproc.BootTime, 0).Add(50 * time.Second); !c.StartedAt.Equal(want) {
		t.Errorf("StartedAt %v, want %v", c.StartedAt, want)
	}
	if c.CPUTime != 53*time.Second {
		t.Errorf("CPUTime %v", c.CPUTime)
	}
	if c.RSSBytes != (800+250000)*4096 {
		t.Errorf("RSS %d", c.RSSBytes)
	}
	if c.Processes[2].Source != discovery.SourceParent {
		t.Errorf("grandchild source %s", c.Processes[2].Source)
	}
	if byID[am].Role != discovery.RoleAM || byID[am].HandlesSIGPWR || !byID[am].ID.IsAM() {
		t.Errorf("AM container: %+v", byID[am])
	}
	argvMarked := byID["container_1410901177871_0003_01_000002"]
	if len(argvMarked.Processes) != 1 || argvMarked.Processes[0].Source != discovery.SourceArgv || argvMarked.Main.PID != 300 {
		t.Errorf("argv-marked container: %+v", argvMarked)
	}
}

func TestVerifyDetectsReuse(t *testing.T) {
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const id = "container_e17_1410901177871_0001_01_000005"
	must(t, tree.YarnContainer(id, 100, 5000, "org.apache.hadoop.mapred.YarnChild", false))
	recorded := discovery.Identity{PID: 101, StartTicks: 5001, ContainerID: id}
	if _, err := discovery.Verify(tree.Root, "/hadoop-yarn", recorded); err != nil {
		t.Fatalf("unchanged process must verify: %v", err)
	}
	// Same pid, later start time: the pid was reused.
	must(t, tree.Write(fakeproc.Proc{PID: 101, PPID: 1, PGID: 101, StartTicks: 9999, Argv: []string{"sleep"}}))
	if _, err := discovery.Verify(tree.Root, "/hadoop-yarn", recorded); !errors.Is(err, discovery.ErrIdentityMismatch) {
		t.Fatalf("reused pid: %v", err)
	}
	// Same start time but another container's marker.
	must(t, tree.YarnContainer("container_e17_1410901177871_0009_01_000002", 100, 5000, "x", false))
	if _, err := discovery.Verify(tree.Root, "/hadoop-yarn", recorded); !errors.Is(err, discovery.ErrIdentityMismatch) {
		t.Fatalf("foreign container: %v", err)
	}
	must(t, tree.Remove(101))
	if _, err := discovery.Verify(tree.Root, "/hadoop-yarn", recorded); !errors.Is(err, discovery.ErrGone) {
		t.Fatalf("gone: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestScanReportsDockerRuntimeContainers: with YARN's Docker runtime the container's processes
// are in the Docker container's PID namespace; only container-executor and the docker client
// carry its id here. The container is reported unreachable, with nothing to signal.
func TestScanReportsDockerRuntimeContainers(t *testing.T) {
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const id = "container_e17_1410901177871_0005_01_000002"
	must(t, tree.Write(fakeproc.Proc{PID: 10, PPID: 1, PGID: 10, Comm: "java", Argv: []string{"java", "org.apache.hadoop.yarn.server.nodemanager.NodeManager"}}))
	must(t, tree.Write(fakeproc.Proc{PID: 20, PPID: 10, PGID: 10, Comm: "container-executor", StartTicks: 100,
		Argv: []string{"/opt/hadoop/bin/container-executor", "yarn", "yarn", "4", "application_1410901177871_0005", id, "/w"},
		Env:  []string{"CONTAINER_ID=" + id}}))
	must(t, tree.Write(fakeproc.Proc{PID: 21, PPID: 20, PGID: 10, Comm: "docker", StartTicks: 101,
		Argv: []string{"/usr/bin/docker", "--config=/nmPrivate/" + id, "run", "--name=" + id}}))
	got, err := discovery.Scanner{ProcRoot: tree.Root}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("containers %+v", got)
	}
	c := got[0]
	if c.Unreachable != discovery.UnreachableDockerRuntime || len(c.Processes) != 0 || len(c.Launchers) != 2 ||
		c.PGID != 0 || c.Main != nil || len(c.MemberIdentities()) != 0 {
		t.Fatalf("docker container: %+v", c)
	}
}

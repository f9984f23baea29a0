// Package e2e runs the real guarder binary against real process trees.
package e2e_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
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
	id := func(seq int) string { return fmt.Sprintf("container_e17_1410901177871_%s_01_%06d", app, seq) }
	spark, mapreduce, tez := id(2), id(3), id(4)
	tree := yarnproctest.StartTree(t, executor, []yarnproctest.TreeContainer{
		{ID: spark, JVM: yarnproctest.SparkExecutorWithPWRHandler},
		{ID: mapreduce, JVM: yarnproctest.MapReduceChildWithoutHandler},
		{ID: tez, JVM: yarnproctest.TezChildIgnoringTERM},
	})
	t.Cleanup(func() { t.Log("\n" + tree.Report()) })
	bin := buildGuarder(t)

	var list []string
	for _, c := range []string{spark, mapreduce, tez} {
		list = append(list, fmt.Sprintf(`{"id":%q,"state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024}`, c))
	}
	nm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"containers":{"container":[`+strings.Join(list, ",")+`]}}`)
	}))
	defer nm.Close()
	const token = "tree-test-token"
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	var stderr lockedBuffer
	cmd := exec.Command(bin, "-listen-address", addr, "-token-file", tokenFile, "-nm-url", nm.URL,
		"-scan-interval", "200ms", "-grace-period", "3s")
	cmd.Env = append(os.Environ(), contract.EnvSignalPolicy+"=Graceful")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	base := "http://" + addr
	waitReady(t, base, &stderr)

	req, _ := http.NewRequest("POST", base+"/v1/target", strings.NewReader(`{"vcores":0,"memoryMB":0,"reason":"shed to zero"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("target: %v %v\n%s", resp, err, stderr.String())
	}
	resp.Body.Close()

	procs := map[string]*yarnproctest.TreeProc{}
	for _, p := range tree.Containers {
		procs[p.ID] = p
	}
	deadline := time.Now().Add(90 * time.Second)
	for _, c := range []string{spark, mapreduce, tez} {
		for procs[c].LauncherExit() == "" {
			if time.Now().After(deadline) {
				t.Fatalf("%s still running\n%s", c, stderr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The Tez JVM outlives its session leader until SIGKILL; wait for the guarder to say so.
	for !strings.Contains(stderr.String(), `"msg":"force-killed container after its grace period","containerId":"`+tez+`"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no force kill of %s\n%s", tez, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	if got := tree.NMSignals(); got != "" || tree.NMExited() {
		t.Errorf("the NodeManager received %q (exited %v)", got, tree.NMExited())
	}
	for _, c := range []string{spark, mapreduce, tez} {
		if got := procs[c].ExecutorSignals(); got != "" {
			t.Errorf("%s: the container-executor parent received %q", c, got)
		}
	}
	if !procs[spark].HasMarker("pwr") || procs[spark].HasMarker("term") {
		t.Errorf("spark: pwr=%v term=%v", procs[spark].HasMarker("pwr"), procs[spark].HasMarker("term"))
	}
	if !procs[mapreduce].HasMarker("shutdown-hook") || procs[mapreduce].HasMarker("pwr") {
		t.Errorf("mapreduce: shutdown-hook=%v pwr=%v", procs[mapreduce].HasMarker("shutdown-hook"), procs[mapreduce].HasMarker("pwr"))
	}
	if !procs[tez].HasMarker("term") || procs[tez].HasMarker("shutdown-hook") {
		t.Errorf("tez: term=%v shutdown-hook=%v", procs[tez].HasMarker("term"), procs[tez].HasMarker("shutdown-hook"))
	}
	// The launcher (container-executor's parent, or DCE's wrapper) exits normally with the
	// session's status; with LCE its record says how the session leader itself ended.
	for cid, want := range map[string]string{spark: "exit 0", mapreduce: "exit 143", tez: "exit 143"} {
		if got := procs[cid].LauncherExit(); got != want {
			t.Errorf("%s: launcher ended by %q, want %q", cid, got, want)
		}
	}
	if executor == yarnproctest.LinuxContainerExecutor {
		for cid, want := range map[string]string{spark: "exit 0", mapreduce: "signal TERM", tez: "signal TERM"} {
			if got := procs[cid].ExecutorChildExit(); got != want {
				t.Errorf("%s: session leader ended by %q, want %q", cid, got, want)
			}
		}
	}
}

func waitReady(t *testing.T, base string, stderr *lockedBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestMain lets the test binary also act as the stand-in NM and container-executor of
// yarnproctest trees.
func TestMain(m *testing.M) { yarnproctest.Main(m) }

// buildGuarder builds cmd/guarder once per test run.
func buildGuarder(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "guarder-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "guarder")
		out, err := exec.Command("go", "build", "-o", builtBin, "github.com/elasticyarn/elastic-yarn-operator/cmd/guarder").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

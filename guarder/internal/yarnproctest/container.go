package yarnproctest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Program is what runs inside the wrapper.
type Program int

const (
	// JVMWithPWRHandler: a "Spark executor" that handles SIGPWR and exits 0 on it.
	JVMWithPWRHandler Program = iota
	// JVMWithoutHandler: a "MapReduce child" with shutdown hooks only.
	JVMWithoutHandler
	// TermIgnoringShell: bash processes that ignore SIGTERM; only SIGKILL ends them.
	TermIgnoringShell
)

// Options describe one fake container.
type Options struct {
	ContainerID string
	Program     Program
}

// Container is a running fake YARN container.
type Container struct {
	ID string
	// MarkerDir collects marker files written by the JVM and the wrapper.
	MarkerDir string
	// ContainerDir is .../appcache/<app>/<containerId>, the cwd and an argv element.
	ContainerDir string
	Wrapper      *exec.Cmd
	exited       chan struct{}
	exitErr      error
}

// Start launches the wrapper in its own session and waits until the program inside is
// ready (JVM handlers installed). The tree is killed when the test ends.
func Start(t testing.TB, opts Options) *Container {
	t.Helper()
	bins := realcomponents.Require(t, "java", "javac", "bash")
	root := t.TempDir()
	c := &Container{
		ID:           opts.ContainerID,
		MarkerDir:    filepath.Join(root, "markers"),
		ContainerDir: filepath.Join(root, "usercache", "yarn", "appcache", appIDOf(opts.ContainerID), opts.ContainerID),
		exited:       make(chan struct{}),
	}
	for _, d := range []string{c.MarkerDir, c.ContainerDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The wrapper records (with traps) any signal it receives, then keeps waiting for its
	// child so the test can also see the child's exit status.
	var script string
	switch opts.Program {
	case JVMWithPWRHandler, JVMWithoutHandler:
		class, mode := SparkExecutorClass, "handle-pwr"
		if opts.Program == JVMWithoutHandler {
			class, mode = MapReduceChildClass, "no-handler"
		}
		cp := Classpath(t)
		script = `trap 'echo TERM >> "$MARKERS/wrapper-signals"' TERM
trap 'echo PWR >> "$MARKERS/wrapper-signals"' PWR
"$JAVA" -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$CP" ` +
			`-Dspark.yarn.app.container.log.dir="$CDIR" ` + class + ` "$MARKERS" ` + mode + ` &
child=$!
wait $child; rc=$?
while kill -0 $child 2>/dev/null; do wait $child; rc=$?; done
echo $rc > "$MARKERS/wrapper-exit"`
		c.Wrapper = exec.Command(bins[2], "-c", script)
		c.Wrapper.Env = append(os.Environ(), "JAVA="+bins[0], "CP="+cp)
	case TermIgnoringShell:
		script = `trap '' TERM
bash -c 'touch "$MARKERS/ready"; while :; do sleep 0.2; done' "$CDIR" &
wait`
		c.Wrapper = exec.Command(bins[2], "-c", script)
		c.Wrapper.Env = os.Environ()
	}
	c.Wrapper.Env = append(c.Wrapper.Env,
		"CONTAINER_ID="+opts.ContainerID, "MARKERS="+c.MarkerDir, "CDIR="+c.ContainerDir)
	c.Wrapper.Dir = c.ContainerDir
	// A session of its own, as the single-script DefaultContainerExecutor of Hadoop 2.x gives
	// the whole container ("exec setsid /bin/bash launch_container.sh"; see tree.go for the
	// Hadoop 3 trees).
	c.Wrapper.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Wrapper.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.exitErr = c.Wrapper.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-c.Wrapper.Process.Pid, syscall.SIGKILL)
		<-c.exited
	})
	c.WaitMarker(t, "ready", 90*time.Second)
	return c
}

// HasMarker reports whether the named marker file exists.
func (c *Container) HasMarker(name string) bool {
	_, err := os.Stat(filepath.Join(c.MarkerDir, name))
	return err == nil
}

// ReadMarker returns the trimmed content of a marker file ("" if missing).
func (c *Container) ReadMarker(name string) string {
	b, _ := os.ReadFile(filepath.Join(c.MarkerDir, name))
	return strings.TrimSpace(string(b))
}

// WaitMarker polls until the marker exists or fails the test after timeout.
func (c *Container) WaitMarker(t testing.TB, name string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !c.HasMarker(name) {
		select {
		case <-c.exited:
			if !c.HasMarker(name) {
				t.Fatalf("container %s exited (%v) before marker %q", c.ID, c.exitErr, name)
			}
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("container %s: marker %q not written within %v", c.ID, name, timeout)
		}
	}
}

// WaitExit waits for the wrapper to exit and returns its wait error.
func (c *Container) WaitExit(t testing.TB, timeout time.Duration) error {
	t.Helper()
	select {
	case <-c.exited:
		return c.exitErr
	case <-time.After(timeout):
		t.Fatalf("container %s still running after %v", c.ID, timeout)
		return nil
	}
}

// Exited reports whether the wrapper has exited.
func (c *Container) Exited() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// ExitSignal returns the signal that ended the wrapper, if any.
func (c *Container) ExitSignal() (syscall.Signal, bool) {
	var ee *exec.ExitError
	if errors.As(c.exitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ws.Signal(), true
		}
	}
	return 0, false
}

// appIDOf derives application_<ts>_<seq> from a container id for the directory layout.
func appIDOf(containerID string) string {
	parts := strings.Split(strings.TrimPrefix(containerID, "container_"), "_")
	if len(parts) == 5 {
		parts = parts[1:]
	}
	if len(parts) != 4 {
		return "application_0_0000"
	}
	return "application_" + parts[0] + "_" + parts[1]
}

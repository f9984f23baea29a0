package yarnproctest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Executor is the NodeManager container executor whose process tree a Tree reproduces. Each
// shape follows Hadoop's source; guarder/discovery/doc.go cites the files and commits.
type Executor string

const (
	// LinuxContainerExecutor (every Kerberos cluster): the NM runs container-executor without
	// setsid (PrivilegedOperationExecutor), so it sits in the NM's process group with the
	// container id in its argv and the container's environment. It forks; the parent waits
	// for the child and writes <pid file>.exitcode, the child calls setsid(), writes its pid
	// to the pid file and execs launch_container.sh (container-executor.c,
	// launch_container_as_user).
	LinuxContainerExecutor Executor = "LinuxContainerExecutor"
	// DefaultContainerExecutor of Hadoop 2.6+ and 3.x: the NM runs
	// "bash <work dir>/default_container_executor.sh" in the NM's process group; it runs
	// "/bin/bash default_container_executor_session.sh" and waits; the session script writes
	// $$ to the pid file and runs "exec setsid /bin/bash launch_container.sh"
	// (DefaultContainerExecutor.java, UnixLocalWrapperScriptBuilder).
	DefaultContainerExecutor Executor = "DefaultContainerExecutor"
	// SingleScriptDefaultContainerExecutor: the one wrapper script of older 2.x releases,
	// which writes $$ to the pid file and execs "setsid /bin/bash launch_container.sh" itself,
	// so the whole container is one session and nothing waits outside it.
	SingleScriptDefaultContainerExecutor Executor = "SingleScriptDefaultContainerExecutor"
)

// TreeJVM is the JVM a tree container runs.
type TreeJVM string

const (
	// SparkExecutorWithPWRHandler handles SIGPWR as Spark's decommission does and exits 0.
	SparkExecutorWithPWRHandler TreeJVM = "spark"
	// MapReduceChildWithoutHandler has shutdown hooks only: SIGTERM ends it through them.
	MapReduceChildWithoutHandler TreeJVM = "mapreduce"
	// TezChildIgnoringTERM records SIGTERM in a handler and keeps running: only SIGKILL ends it.
	TezChildIgnoringTERM TreeJVM = "tez"
)

// TreeContainer asks for one container in a Tree.
type TreeContainer struct {
	ID  string
	JVM TreeJVM
}

// TreeProc is one launched container of a Tree.
type TreeProc struct {
	ID  string
	JVM TreeJVM
	// WorkDir is <local dir>/usercache/<user>/appcache/<app>/<container>.
	WorkDir string
	// NMPrivateDir holds the pid file and, with LinuxContainerExecutor, the stand-in
	// container-executor's own records ("executor-signals", "executor-child-exit").
	NMPrivateDir string
	PIDFile      string
	// MarkerDir collects the JVM's markers ("ready", "pwr", "term", "shutdown-hook") and the
	// stand-in NM's record of its launcher's end ("launcher-exit").
	MarkerDir string
}

// Tree is a stand-in NodeManager with its containers launched the way Executor launches them.
type Tree struct {
	Executor   Executor
	Root       string
	NM         *exec.Cmd
	Containers []*TreeProc
	nmExited   chan struct{}
	nmErr      error
}

// nmSpec is what the stand-in NM reads: the launch commands, as the real NM would run them.
type nmSpec struct {
	SignalsFile string     `json:"signalsFile"`
	ReadyFile   string     `json:"readyFile"`
	Launches    []nmLaunch `json:"launches"`
}

type nmLaunch struct {
	Argv     []string `json:"argv"`
	Dir      string   `json:"dir"`
	Env      []string `json:"env"`
	ExitFile string   `json:"exitFile"`
}

// StartTree starts a stand-in NM (a session and process group of its own, as a pod's
// container process is) that launches every container through executor's chain, and waits
// until each JVM has installed its handlers. Everything is killed when the test ends.
func StartTree(t testing.TB, executor Executor, containers []TreeContainer) *Tree {
	t.Helper()
	bins := realcomponents.Require(t, "java", "javac", "bash", "setsid")
	cp := Classpath(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	localDir, logRoot := filepath.Join(root, "local"), filepath.Join(root, "logs")
	tree := &Tree{Executor: executor, Root: root, nmExited: make(chan struct{})}
	spec := nmSpec{SignalsFile: filepath.Join(root, "nm-signals"), ReadyFile: filepath.Join(root, "nm-ready")}

	// container-executor is the test binary under that name: Main dispatches on argv[0].
	ceBin := filepath.Join(root, "hadoop", "bin", "container-executor")
	must(t, os.MkdirAll(filepath.Dir(ceBin), 0o755))
	must(t, os.Symlink(self, ceBin))

	for _, want := range containers {
		app := appIDOf(want.ID)
		p := &TreeProc{
			ID: want.ID, JVM: want.JVM,
			WorkDir:      filepath.Join(localDir, "usercache", "yarn", "appcache", app, want.ID),
			NMPrivateDir: filepath.Join(localDir, "nmPrivate", app, want.ID),
			MarkerDir:    filepath.Join(root, "markers", want.ID),
		}
		p.PIDFile = filepath.Join(p.NMPrivateDir, want.ID+".pid")
		logDir := filepath.Join(logRoot, app, want.ID)
		for _, d := range []string{p.WorkDir, p.NMPrivateDir, p.MarkerDir, logDir, filepath.Join(p.WorkDir, "tmp")} {
			must(t, os.MkdirAll(d, 0o755))
		}
		script := launchContainerScript(p, logDir, bins[0], cp)
		// The container's environment as ContainerLaunch.sanitizeEnv builds it; the NM
		// passes it to the executor's process too.
		env := []string{"CONTAINER_ID=" + p.ID, "USER=yarn", "LOGNAME=yarn", "HOME=/home/",
			"PWD=" + p.WorkDir, "LOG_DIRS=" + logDir, "PATH=" + os.Getenv("PATH")}
		launch := nmLaunch{Env: env, ExitFile: filepath.Join(p.MarkerDir, "launcher-exit")}
		switch executor {
		case LinuxContainerExecutor:
			// container-executor copies the NM-private script into the work dir itself.
			nmScript := filepath.Join(p.NMPrivateDir, "launch_container.sh")
			must(t, os.WriteFile(nmScript, []byte(script), 0o700))
			tokens := filepath.Join(p.NMPrivateDir, p.ID+".tokens")
			must(t, os.WriteFile(tokens, nil, 0o600))
			// DefaultLinuxContainerRuntime.launchContainer's argument list.
			launch.Argv = []string{ceBin, "yarn", "yarn", "1", app, p.ID, p.WorkDir, nmScript, tokens,
				"--http", p.PIDFile, localDir, logRoot, "cgroups=none"}
			dir, err := os.Getwd()
			must(t, err)
			launch.Dir = dir // no working directory is given: the NM's
		case DefaultContainerExecutor, SingleScriptDefaultContainerExecutor:
			must(t, os.WriteFile(filepath.Join(p.WorkDir, "launch_container.sh"), []byte(script), 0o700))
			wrapper := writeDCEScripts(t, executor, p)
			// ContainerExecutor.getRunCommand: "bash <wrapper>", in the work dir.
			launch.Argv = []string{"bash", wrapper}
			launch.Dir = p.WorkDir
		default:
			t.Fatalf("unknown executor %q", executor)
		}
		spec.Launches = append(spec.Launches, launch)
		tree.Containers = append(tree.Containers, p)
	}

	specFile := filepath.Join(root, "nm-spec.json")
	data, err := json.Marshal(spec)
	must(t, err)
	must(t, os.WriteFile(specFile, data, 0o644))
	log, err := os.Create(filepath.Join(root, "nm.log"))
	must(t, err)
	tree.NM = exec.Command(self, nodeManagerRole, specFile)
	tree.NM.Stdout, tree.NM.Stderr = log, log
	tree.NM.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	must(t, tree.NM.Start())
	go func() { tree.nmErr = tree.NM.Wait(); _ = log.Close(); close(tree.nmExited) }()
	t.Cleanup(tree.kill)

	deadline := time.Now().Add(90 * time.Second)
	for _, p := range tree.Containers {
		for !fileExists(filepath.Join(p.MarkerDir, "ready")) {
			if tree.NMExited() {
				t.Fatalf("stand-in NM exited (%v); log:\n%s", tree.nmErr, readFile(filepath.Join(root, "nm.log")))
			}
			if time.Now().After(deadline) {
				t.Fatalf("container %s not ready within 90s; launcher: %q", p.ID, readFile(filepath.Join(p.MarkerDir, "launcher-exit")))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return tree
}

// launchContainerScript is launch_container.sh as ContainerLaunch.writeLaunchEnv writes it
// (UnixShellScriptBuilder): exports, then "exec /bin/bash -c" with the AM's command, whose
// stdout and stderr redirections keep bash from exec'ing java directly, so the JVM is a child
// of the session leader.
func launchContainerScript(p *TreeProc, logDir, java, cp string) string {
	class, mode := SparkExecutorClass, "handle-pwr"
	switch p.JVM {
	case MapReduceChildWithoutHandler:
		class, mode = MapReduceChildClass, "no-handler"
	case TezChildIgnoringTERM:
		class, mode = TezChildClass, "ignore-term"
	}
	command := fmt.Sprintf("%s -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto "+
		"-Djava.io.tmpdir=%s/tmp -Dyarn.app.container.log.dir=%s -cp %s %s %s %s 1>%s/stdout 2>%s/stderr",
		java, p.WorkDir, logDir, cp, class, p.MarkerDir, mode, logDir, logDir)
	return strings.Join([]string{
		"#!/bin/bash",
		"",
		"set -o pipefail -e",
		`export PRELAUNCH_OUT="` + logDir + `/prelaunch.out"`,
		`exec >"${PRELAUNCH_OUT}"`,
		`export PRELAUNCH_ERR="` + logDir + `/prelaunch.err"`,
		`exec 2>"${PRELAUNCH_ERR}"`,
		`echo "Setting up env variables"`,
		`export CONTAINER_ID="` + p.ID + `"`,
		`export PWD="` + p.WorkDir + `"`,
		`export LOG_DIRS="` + logDir + `"`,
		`export JVM_PID="$$"`,
		`echo "Launching container"`,
		`exec /bin/bash -c "` + command + `"`,
		"",
	}, "\n")
}

// writeDCEScripts writes DefaultContainerExecutor's wrapper scripts into the work dir, line
// for line as UnixLocalWrapperScriptBuilder writes them, and returns the wrapper's path.
func writeDCEScripts(t testing.TB, executor Executor, p *TreeProc) string {
	t.Helper()
	launch := filepath.Join(p.WorkDir, "launch_container.sh")
	wrapper := filepath.Join(p.WorkDir, "default_container_executor.sh")
	pidLines := []string{
		"echo $$ > " + p.PIDFile + ".tmp",
		"/bin/mv -f " + p.PIDFile + ".tmp " + p.PIDFile,
		`exec setsid /bin/bash "` + launch + `"`,
	}
	if executor == SingleScriptDefaultContainerExecutor {
		must(t, os.WriteFile(wrapper, []byte("#!/bin/bash\n\n"+strings.Join(pidLines, "\n")+"\n"), 0o700))
		return wrapper
	}
	session := filepath.Join(p.WorkDir, "default_container_executor_session.sh")
	must(t, os.WriteFile(session, []byte("#!/bin/bash\n\n"+strings.Join(pidLines, "\n")+"\n"), 0o700))
	exitCode := p.PIDFile + ".exitcode"
	must(t, os.WriteFile(wrapper, []byte(strings.Join([]string{
		"#!/bin/bash",
		`/bin/bash "` + session + `"`,
		"rc=$?",
		`echo $rc > "` + exitCode + `.tmp"`,
		`/bin/mv -f "` + exitCode + `.tmp" "` + exitCode + `"`,
		"exit $rc",
		"",
	}, "\n")), 0o700))
	return wrapper
}

// NMExited reports whether the stand-in NM has exited.
func (tr *Tree) NMExited() bool {
	select {
	case <-tr.nmExited:
		return true
	default:
		return false
	}
}

// NMSignals returns the signals the stand-in NM received (it records each and keeps running;
// a SIGKILL shows as NMExited with NMExitSignal).
func (tr *Tree) NMSignals() string { return readFile(filepath.Join(tr.Root, "nm-signals")) }

// NMExitSignal returns the signal that ended the stand-in NM, if one did.
func (tr *Tree) NMExitSignal() (syscall.Signal, bool) {
	if !tr.NMExited() {
		return 0, false
	}
	if ee, ok := tr.nmErr.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ws.Signal(), true
		}
	}
	return 0, false
}

// Marker returns the content of a JVM marker file, or "" when it was never written.
func (p *TreeProc) Marker(name string) string { return readFile(filepath.Join(p.MarkerDir, name)) }

// HasMarker reports whether the JVM wrote the named marker.
func (p *TreeProc) HasMarker(name string) bool { return fileExists(filepath.Join(p.MarkerDir, name)) }

// LauncherExit is how the process the NM launched ended, as the NM's wait saw it
// ("exit 143", "signal killed"), or "" while it runs.
func (p *TreeProc) LauncherExit() string { return p.Marker("launcher-exit") }

// ExecutorSignals are the signals the stand-in container-executor parent received
// (LinuxContainerExecutor only).
func (p *TreeProc) ExecutorSignals() string {
	return readFile(filepath.Join(p.NMPrivateDir, "executor-signals"))
}

// ExecutorChildExit is how container-executor's setsid child (the launch_container.sh
// process, then the "bash -c" it execs) ended, as the waiting parent saw it
// (LinuxContainerExecutor only).
func (p *TreeProc) ExecutorChildExit() string {
	return readFile(filepath.Join(p.NMPrivateDir, "executor-child-exit"))
}

// ExitCodeFile is <pid file>.exitcode as the executor wrote it ("" if not yet).
func (p *TreeProc) ExitCodeFile() string { return readFile(p.PIDFile + ".exitcode") }

// SessionPID is the pid YARN wrote to the container's pid file (0 if not yet).
func (p *TreeProc) SessionPID() int {
	pid, _ := strconv.Atoi(readFile(p.PIDFile))
	return pid
}

// Report describes what each process of the tree received and how it ended, for test logs.
func (tr *Tree) Report() string {
	var b strings.Builder
	nmState := "running"
	if sig, ok := tr.NMExitSignal(); ok {
		nmState = "ended by " + sig.String()
	}
	fmt.Fprintf(&b, "%s tree: stand-in NM pid %d: signals received %q, %s\n", tr.Executor, tr.NM.Process.Pid, tr.NMSignals(), nmState)
	for _, p := range tr.Containers {
		fmt.Fprintf(&b, "  %s (%s JVM): launcher %q", p.ID, p.JVM, p.LauncherExit())
		if tr.Executor == LinuxContainerExecutor {
			fmt.Fprintf(&b, ", container-executor parent signals %q, its setsid child %q", p.ExecutorSignals(), p.ExecutorChildExit())
		}
		fmt.Fprintf(&b, ", exit code file %q, JVM markers pwr=%v term=%v shutdown-hook=%v\n",
			p.ExitCodeFile(), p.HasMarker("pwr"), p.HasMarker("term"), p.HasMarker("shutdown-hook"))
	}
	return b.String()
}

func (tr *Tree) kill() {
	for _, p := range tr.Containers {
		if pid := p.SessionPID(); pid > 1 {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
	_ = syscall.Kill(-tr.NM.Process.Pid, syscall.SIGKILL)
	<-tr.nmExited
	// Orphaned JVMs of a session whose leader died keep the session's pgid.
	for _, p := range tr.Containers {
		if pid := p.SessionPID(); pid > 1 {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(string(b))
}

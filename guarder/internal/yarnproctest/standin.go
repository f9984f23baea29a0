package yarnproctest

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nodeManagerRole is the argument that turns the test binary into the stand-in NM.
const nodeManagerRole = "yarnproctest-nodemanager"

// recordedSignals are the signals the stand-ins record. SIGKILL cannot be caught; the waiting
// parent sees it.
var recordedSignals = []os.Signal{syscall.SIGTERM, syscall.SIGPWR, syscall.SIGINT, syscall.SIGHUP,
	syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// Main runs the package's tests, or a stand-in program when the test binary was started as
// one by StartTree: the NM (by argument) or container-executor (by argv[0]). Call it from
// TestMain.
func Main(m *testing.M) {
	switch {
	case filepath.Base(os.Args[0]) == "container-executor":
		os.Exit(containerExecutor(os.Args))
	case len(os.Args) == 3 && os.Args[1] == nodeManagerRole:
		os.Exit(nodeManager(os.Args[2]))
	}
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// nodeManager launches each command as the NM does through Shell.ShellCommandExecutor (a
// plain child: same session, same process group), records every signal it receives and
// keeps running, and records how each launched process ended.
func nodeManager(specFile string) int {
	data, err := os.ReadFile(specFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var spec nmSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, recordedSignals...)
	go func() {
		for s := range sigs {
			appendLine(spec.SignalsFile, signalName(s.(syscall.Signal)))
		}
	}()
	for _, l := range spec.Launches {
		path, err := exec.LookPath(l.Argv[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		cmd := &exec.Cmd{Path: path, Args: l.Argv, Dir: l.Dir, Env: l.Env, Stdout: os.Stdout, Stderr: os.Stderr}
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		go func(exitFile string) {
			writeAtomically(exitFile, describeExit(cmd.Wait()))
		}(l.ExitFile)
	}
	writeAtomically(spec.ReadyFile, "ready")
	select {}
}

// containerExecutor stands in for the setuid container-executor's launch_container_as_user:
// copy the script into the work dir, fork, parent waits and writes <pid file>.exitcode
// (0x80 + signal for a signalled child, as wait_and_get_exit_code does), child calls setsid()
// and execs launch_container.sh. The child's pid is written here by the parent, after the
// fork, where the C child writes it itself before exec: the file holds the same pid.
// A signal it receives is recorded next to the pid file and then acts as it would on the real
// binary (default action: the parent dies).
func containerExecutor(argv []string) int {
	// container-executor <run-as user> <user> 1 <app> <container> <work dir> <script>
	// <tokens> --http|--https <keystore> <truststore> <pid file> <local dirs> <log dirs> <resources>
	if len(argv) < 14 || argv[3] != "1" {
		fmt.Fprintf(os.Stderr, "stand-in container-executor supports LAUNCH_CONTAINER only: %q\n", argv)
		return 1
	}
	workDir, script := argv[6], argv[7]
	rest := argv[9:]
	if rest[0] == "--https" {
		rest = rest[2:]
	}
	pidFile := rest[1]
	records := filepath.Dir(pidFile)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, recordedSignals...)
	go func() {
		s := (<-sigs).(syscall.Signal)
		appendLine(filepath.Join(records, "executor-signals"), signalName(s))
		signal.Reset(s)
		_ = syscall.Kill(os.Getpid(), s)
	}()

	dst := filepath.Join(workDir, "launch_container.sh")
	if err := copyFile(script, dst); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 7 // UNABLE_TO_EXECUTE_CONTAINER_SCRIPT
	}
	child := exec.Command(dst)
	child.Dir = workDir
	child.Stdout, child.Stderr = os.Stdout, os.Stderr
	child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := child.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 7
	}
	writeAtomically(pidFile, fmt.Sprint(child.Process.Pid))
	err := child.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		ws := ee.Sys().(syscall.WaitStatus)
		switch {
		case ws.Signaled():
			code = 0x80 + int(ws.Signal())
		default:
			code = ws.ExitStatus()
		}
	}
	writeAtomically(filepath.Join(records, "executor-child-exit"), describeExit(err))
	writeAtomically(pidFile+".exitcode", fmt.Sprint(code))
	return code
}

// describeExit renders a wait result as "exit N" or "signal NAME".
func describeExit(err error) string {
	if err == nil {
		return "exit 0"
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok {
			if ws.Signaled() {
				return "signal " + signalName(ws.Signal())
			}
			return fmt.Sprintf("exit %d", ws.ExitStatus())
		}
	}
	return "error " + err.Error()
}

// signalName is the short upper-case name ("TERM", "PWR", "KILL").
func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "TERM"
	case syscall.SIGKILL:
		return "KILL"
	case syscall.SIGPWR:
		return "PWR"
	case syscall.SIGINT:
		return "INT"
	case syscall.SIGHUP:
		return "HUP"
	case syscall.SIGQUIT:
		return "QUIT"
	case syscall.SIGUSR1:
		return "USR1"
	case syscall.SIGUSR2:
		return "USR2"
	}
	return strings.ToUpper(s.String())
}

func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	_, _ = f.WriteString(line + "\n")
	_ = f.Close()
}

func writeAtomically(path, content string) {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content+"\n"), 0o644); err == nil {
		_ = os.Rename(tmp, path)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o700)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

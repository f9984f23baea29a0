// Package yarnproctest starts real process trees that look like YARN containers to the
// guarder: a bash wrapper leading its own process group, a JVM child with CONTAINER_ID in its
// environment and the container directory in argv and cwd. It is test support only.
package yarnproctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// JVM main classes the tests run. Naming them exactly like the real frameworks' classes lets
// discovery classify them the way it classifies production containers.
const (
	SparkExecutorClass  = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend"
	MapReduceChildClass = "org.apache.hadoop.mapred.YarnChild"
	TezChildClass       = "org.apache.tez.runtime.task.TezChild"
)

// probeSource installs a SIGPWR handler the way Spark's SignalUtils does (sun.misc.Signal)
// when asked, and leaves marker files so the test can see which signal arrived:
// "ready" once handlers are installed, "pwr" from the SIGPWR handler, "shutdown-hook" from
// shutdown hooks (SIGTERM runs them; an unhandled SIGPWR does not), and in mode "ignore-term"
// "term" from a SIGTERM handler that records the signal and keeps running, so only SIGKILL
// ends the JVM.
const probeSource = `package %s;

import java.nio.file.Files;
import java.nio.file.Path;

public class %s {
    static void mark(String dir, String name) {
        try {
            Path tmp = Path.of(dir, name + ".tmp");
            Files.writeString(tmp, name);
            Files.move(tmp, Path.of(dir, name));
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    public static void main(String[] args) throws Exception {
        final String dir = args[0];
        if (args[1].equals("handle-pwr")) {
            sun.misc.Signal.handle(new sun.misc.Signal("PWR"), sig -> {
                mark(dir, "pwr");
                System.exit(0);
            });
        }
        if (args[1].equals("ignore-term")) {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> mark(dir, "term"));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> mark(dir, "shutdown-hook")));
        mark(dir, "ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
`

var (
	compileOnce sync.Once
	classDir    string
	compileErr  error
)

// Classpath compiles the probe classes once per test binary and returns the class directory.
// The directory is removed by Cleanup (call it from TestMain).
func Classpath(t testing.TB) string {
	t.Helper()
	bins := realcomponents.Require(t, "java", "javac", "bash")
	compileOnce.Do(func() {
		dir, err := os.MkdirTemp("", "guarder-jvm-")
		if err != nil {
			compileErr = err
			return
		}
		classDir = dir
		var sources []string
		for _, class := range []string{SparkExecutorClass, MapReduceChildClass, TezChildClass} {
			pkg, name := splitClass(class)
			src := filepath.Join(dir, "src", strings.ReplaceAll(pkg, ".", "/"), name+".java")
			if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
				compileErr = err
				return
			}
			if err := os.WriteFile(src, fmt.Appendf(nil, probeSource, pkg, name), 0o644); err != nil {
				compileErr = err
				return
			}
			sources = append(sources, src)
		}
		args := append([]string{"-nowarn", "-XDignore.symbol.file", "-d", filepath.Join(dir, "classes")}, sources...)
		out, err := exec.Command(bins[1], args...).CombinedOutput()
		if err != nil {
			compileErr = fmt.Errorf("javac: %v: %s", err, out)
		}
	})
	if compileErr != nil {
		t.Fatalf("compile JVM probe: %v", compileErr)
	}
	return filepath.Join(classDir, "classes")
}

// Cleanup removes the compiled classes.
func Cleanup() {
	if classDir != "" {
		_ = os.RemoveAll(classDir)
	}
}

func splitClass(class string) (pkg, name string) {
	i := strings.LastIndexByte(class, '.')
	return class[:i], class[i+1:]
}

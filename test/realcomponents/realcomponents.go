// Package realcomponents lets tests depend on real binaries (MIT KDC, Prometheus, a JVM, etcd)
// without ever passing silently in CI: a missing binary skips on a developer machine but fails
// when ELASTIC_YARN_REQUIRE_REAL=1, which `make test` sets.
package realcomponents

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// RequireEnv is the variable that turns a missing real component into a test failure.
const RequireEnv = "ELASTIC_YARN_REQUIRE_REAL"

// Required reports whether missing components must fail tests rather than skip them.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Require returns the absolute paths of the named binaries, found on PATH or in the usual
// sbin directories (krb5kdc and kdb5_util live in /usr/sbin). It skips or fails the test
// when one is missing.
func Require(t testing.TB, names ...string) []string {
	t.Helper()
	paths := make([]string, 0, len(names))
	for _, name := range names {
		p, err := Find(name)
		if err != nil {
			Missing(t, name+": "+err.Error())
		}
		paths = append(paths, p)
	}
	return paths
}

// Missing skips or fails the test, depending on Required.
func Missing(t testing.TB, what string) {
	t.Helper()
	if Required() {
		t.Fatalf("real component missing (%s=1): %s; run 'make deps'", RequireEnv, what)
	}
	t.Skipf("real component missing: %s (set %s=1 to make this a failure)", what, RequireEnv)
}

// Find looks a binary up on PATH, then in /usr/sbin and /sbin.
func Find(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := dir + "/" + name
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// Tool returns where hack/tools.sh keeps a tool built from the Go module proxy ("kube" is the
// directory of kube-apiserver, kubectl, kube-scheduler and etcd; "kwok" and "helm" are
// binaries). Tests never build tools: `make deps` does, once, before any test starts. A tool
// that is not built skips the test, or fails it when real components are required.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := ToolPath(name)
	if err != nil {
		Missing(t, err.Error())
	}
	return p
}

// ToolPath is Tool for callers without a testing.TB.
func ToolPath(name string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("%s: cannot locate the repository", name)
	}
	script := filepath.Join(filepath.Dir(file), "..", "..", "hack", "tools.sh")
	var stderr bytes.Buffer
	cmd := exec.Command(script, "path", name)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

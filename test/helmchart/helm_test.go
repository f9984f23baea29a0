package helmchart

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

const (
	releaseName      = "eyo"
	releaseNamespace = "elastic-yarn-system"
)

// repoRoot is the module root (this package is test/helmchart).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func chartDir(t testing.TB) string {
	return filepath.Join(repoRoot(t), "charts", "elastic-yarn-operator")
}

// requireHelm returns the helm binary: $HELM, else hack/tools.sh's build of its pinned
// version, which `make deps` makes. Without either the test skips, or fails under
// ELASTIC_YARN_REQUIRE_REAL=1.
func requireHelm(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("HELM"); p != "" {
		return p
	}
	return realcomponents.Tool(t, "helm")
}

// runHelm runs helm with its state directories in a temporary directory.
func runHelm(t testing.TB, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	helm := requireHelm(t)
	home := t.TempDir()
	cmd := exec.Command(helm, args...)
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
	)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// valuesFile writes a values file and returns its path.
func valuesFile(t testing.TB, yaml string) string {
	t.Helper()
	// Not t.TempDir(): its name carries the test's name, and helm splits --values on commas.
	dir, err := os.MkdirTemp("", "helmvalues")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// template renders the chart with the given values (YAML documents, applied in order) and
// fails the test when helm fails.
func template(t testing.TB, values ...string) Objects {
	t.Helper()
	out, stderr, err := templateRaw(t, values...)
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr)
	}
	objs, err := ParseObjects([]byte(out))
	if err != nil {
		t.Fatalf("parsing helm template output: %v\n%s", err, out)
	}
	return objs
}

func templateRaw(t testing.TB, values ...string) (string, string, error) {
	t.Helper()
	args := []string{"template", releaseName, chartDir(t), "--namespace", releaseNamespace}
	for _, v := range values {
		args = append(args, "--values", valuesFile(t, v))
	}
	return runHelm(t, args...)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

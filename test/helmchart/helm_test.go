package helmchart

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

const (
	releaseName      = "eyo"
	releaseNamespace = "elastic-yarn-system"
)

var (
	helmOnce sync.Once
	helmPath string
	helmErr  string
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

// requireHelm returns the helm binary: $HELM, else hack/helm.sh's cached build of its
// HELM_VERSION, else (only under ELASTIC_YARN_REQUIRE_REAL=1) a fresh build by hack/helm.sh.
// Otherwise the test skips.
func requireHelm(t testing.TB) string {
	t.Helper()
	helmOnce.Do(func() { helmPath, helmErr = findHelm(repoRoot(t)) })
	if helmPath == "" {
		realcomponents.Missing(t, "helm: "+helmErr)
	}
	return helmPath
}

func findHelm(root string) (string, string) {
	if p := os.Getenv("HELM"); p != "" {
		return p, ""
	}
	cache := os.Getenv("ELASTIC_YARN_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, _ := os.UserHomeDir()
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "elastic-yarn-operator")
	}
	version := os.Getenv("HELM_VERSION")
	if version == "" {
		script, err := os.ReadFile(filepath.Join(root, "hack", "helm.sh"))
		if err != nil {
			return "", err.Error()
		}
		m := regexp.MustCompile(`HELM_VERSION:-(v[0-9.]+)`).FindSubmatch(script)
		if m == nil {
			return "", "no default HELM_VERSION in hack/helm.sh"
		}
		version = string(m[1])
	}
	if p := filepath.Join(cache, "tools", "helm-"+version, "helm"); fileExists(p) {
		return p, ""
	}
	if !realcomponents.Required() {
		return "", "no helm " + version + " in " + cache + "/tools; run hack/helm.sh"
	}
	var stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(root, "hack", "helm.sh"))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "hack/helm.sh failed: " + err.Error() + ": " + tail(stderr.String(), 2000)
	}
	return strings.TrimSpace(string(out)), ""
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

package localcluster

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Binaries are what a test on a local cluster runs.
type Binaries struct {
	// RepoRoot is the repository's root directory.
	RepoRoot string
	// Assets holds etcd, kube-apiserver, kube-scheduler and kubectl.
	Assets string
	// Kwok, Operator and Prometheus are executables; Operator is built for the test.
	Kwok, Operator, Prometheus string
}

// RequireBinaries finds or builds everything for a test in a package two levels under the
// repository root: KUBEBUILDER_ASSETS when it has kube-scheduler, else hack/envtest-assets.sh;
// kwok from hack/demo/kwok.sh (built once, cached); the operator from ./cmd/operator.
func RequireBinaries(t *testing.T) Binaries {
	t.Helper()
	b := Binaries{Prometheus: realcomponents.Require(t, "prometheus")[0]}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	b.RepoRoot = root
	b.Assets = os.Getenv("KUBEBUILDER_ASSETS")
	if b.Assets == "" || !Exists(filepath.Join(b.Assets, "kube-scheduler")) {
		b.Assets = script(t, root, "hack/envtest-assets.sh")
	}
	b.Kwok = script(t, root, "hack/demo/kwok.sh")
	b.Operator = filepath.Join(t.TempDir(), "operator")
	build := exec.Command("go", "build", "-o", b.Operator, "./cmd/operator")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the operator: %v\n%s", err, out)
	}
	return b
}

// script runs one of the repository's scripts that print a path.
func script(t *testing.T, root, name string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(root, name))
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

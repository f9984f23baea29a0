package localcluster

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Binaries are what a test on a local cluster runs.
type Binaries struct {
	// RepoRoot is the repository's root directory.
	RepoRoot string
	// Assets holds etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubectl.
	Assets string
	// Kwok, Operator and Prometheus are executables; Operator is built for the test.
	Kwok, Operator, Prometheus string
}

// RequireBinaries finds everything for a test in a package two levels under the repository
// root: the control-plane binaries (envtest.Assets, which needs kube-scheduler and
// kube-controller-manager here) and kwok from hack/tools.sh's cache, which `make deps` fills; the
// operator is built from ./cmd/operator.
func RequireBinaries(t *testing.T) Binaries {
	t.Helper()
	b := Binaries{Prometheus: realcomponents.Require(t, "prometheus")[0]}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	b.RepoRoot = root
	b.Assets = envtest.Assets(t, "kube-scheduler", "kube-controller-manager")
	b.Kwok = realcomponents.Tool(t, "kwok")
	b.Operator = filepath.Join(t.TempDir(), "operator")
	build := exec.Command("go", "build", "-o", b.Operator, "./cmd/operator")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the operator: %v\n%s", err, out)
	}
	return b
}

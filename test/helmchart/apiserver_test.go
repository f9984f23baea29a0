package helmchart

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	crenvtest "sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

// cluster is an empty real kube-apiserver (no CRDs installed) with an admin kubeconfig, for
// installing the chart and the kustomize tree as a user would.
type cluster struct {
	kubeconfig string
	kubectlBin string
}

// startCluster starts kube-apiserver and etcd from the envtest assets (envtest.Assets).
func startCluster(t *testing.T) *cluster {
	t.Helper()
	ctrllog.SetLogger(logr.Discard()) // envtest logs through controller-runtime; nothing to see
	assets := envtest.Assets(t)
	env := &crenvtest.Environment{BinaryAssetsDirectory: assets}
	if _, err := env.Start(); err != nil {
		t.Fatalf("starting kube-apiserver from %s: %v", assets, err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Logf("stopping the apiserver: %v", err)
		}
	})
	user, err := env.AddUser(crenvtest.User{Name: "installer", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, kc, 0o600); err != nil {
		t.Fatal(err)
	}
	return &cluster{kubeconfig: path, kubectlBin: filepath.Join(assets, "kubectl")}
}

// kubectl runs kubectl against the cluster.
func (c *cluster) kubectl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(c.kubectlBin, append([]string{"--kubeconfig", c.kubeconfig}, args...)...)
	cmd.Dir = repoRoot(t)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String() + errb.String(), err
}

func (c *cluster) mustKubectl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := c.kubectl(t, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// applyChartRBAC renders the Helm chart's RBAC for a release in releaseNS that watches only
// watched, creates it as an admin, and returns the ServiceAccount the chart binds it to: the
// identity the operator runs as when installed that way.
func applyChartRBAC(t *testing.T, release, releaseNS string, watched []string) rbacv1.Subject {
	t.Helper()
	objs := renderChartRBAC(t, release, releaseNS, watched)
	var sa *rbacv1.Subject
	for _, u := range objs {
		if err := env.Client.Create(context.Background(), u); err != nil {
			t.Fatalf("creating the chart's %s %s: %v", u.GetKind(), u.GetName(), err)
		}
		t.Cleanup(func() { _ = env.Client.Delete(context.Background(), u) })
		if u.GetKind() != "ClusterRoleBinding" {
			continue
		}
		var b rbacv1.ClusterRoleBinding
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &b); err != nil {
			t.Fatal(err)
		}
		if len(b.Subjects) != 1 || b.Subjects[0].Kind != rbacv1.ServiceAccountKind {
			t.Fatalf("the chart's ClusterRoleBinding binds %+v, want one ServiceAccount", b.Subjects)
		}
		sa = &b.Subjects[0]
	}
	if sa == nil {
		t.Fatal("the chart rendered no ClusterRoleBinding (nodes must stay readable cluster-wide)")
	}
	return *sa
}

func renderChartRBAC(t *testing.T, release, releaseNS string, watched []string) []*unstructured.Unstructured {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(helmBinary(t), "template", release, filepath.Join(envtest.RepoRoot(), "charts", "elastic-yarn-operator"),
		"--namespace", releaseNS, "--set", "watchNamespaces={"+strings.Join(watched, ",")+"}",
		"--show-only", "templates/rbac.yaml")
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr.String())
	}
	var objs []*unstructured.Unstructured
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(out), 4096)
	for {
		u := &unstructured.Unstructured{}
		err := dec.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return objs
		}
		if err != nil {
			t.Fatalf("decoding the chart's RBAC: %v", err)
		}
		if len(u.Object) > 0 {
			objs = append(objs, u)
		}
	}
}

// helmBinary is $HELM, else hack/tools.sh's build of the pinned helm, which `make deps`
// makes. Without either the test skips, or fails under ELASTIC_YARN_REQUIRE_REAL=1.
func helmBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("HELM"); p != "" {
		return p
	}
	return realcomponents.Tool(t, "helm")
}

// serviceAccountUser is the user name the apiserver gives a ServiceAccount's tokens.
func serviceAccountUser(sa rbacv1.Subject) string {
	return "system:serviceaccount:" + sa.Namespace + ":" + sa.Name
}

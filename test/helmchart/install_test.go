package helmchart

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// helm install on a real, empty apiserver: the CRDs from crds/ are created and established,
// and every rendered object passes the apiserver's validation. Nothing runs the operator here
// (no kubelet), so the test does not wait for the Deployment.
func TestHelmInstallOnRealAPIServer(t *testing.T) {
	requireHelm(t)
	c := startCluster(t)
	chart := chartDir(t)
	values := valuesFile(t, `
podDisruptionBudget: {enabled: true}
dashboard: {enabled: true}
`)
	out, stderr, err := runHelm(t, "install", releaseName, chart, "--kubeconfig", c.kubeconfig,
		"--namespace", releaseNamespace, "--create-namespace", "--values", values)
	if err != nil {
		t.Fatalf("helm install: %v\n%s%s", err, out, stderr)
	}
	c.mustKubectl(t, "wait", "--for=condition=Established", "--timeout=60s",
		"crd/elasticnodemanagers.elasticyarn.io", "crd/staticips.elasticyarn.io")
	for _, obj := range []string{
		"deployment/" + fullname, "serviceaccount/" + fullname, "service/" + fullname + "-metrics",
		"role/" + fullname, "rolebinding/" + fullname, "poddisruptionbudget/" + fullname,
		"configmap/" + fullname + "-dashboard",
	} {
		c.mustKubectl(t, "-n", releaseNamespace, "get", obj)
	}
	c.mustKubectl(t, "get", "clusterrole/"+fullname, "clusterrolebinding/"+fullname,
		"validatingadmissionpolicy/"+fullname+"-nodemanager-deletion-guard",
		"validatingadmissionpolicybinding/"+fullname+"-nodemanager-deletion-guard")

	// The operator's service account may do what the generated RBAC grants, and no more.
	sa := "system:serviceaccount:" + releaseNamespace + ":" + fullname
	for _, check := range []struct {
		verb, resource, ns string
		want               string
	}{
		{"create", "leases.coordination.k8s.io", releaseNamespace, "yes"},
		{"create", "events", "yarn-elastic", "yes"},
		{"create", "leases.coordination.k8s.io", "kube-system", "no"},
		{"delete", "nodes", "", "no"},
		{"list", "secrets", "kube-system", "no"},
	} {
		args := []string{"auth", "can-i", check.verb, check.resource, "--as", sa}
		if check.ns != "" {
			args = append(args, "-n", check.ns)
		}
		out, _ := c.kubectl(t, args...) // exit status 1 means "no"; warnings follow the answer
		if got, _, _ := strings.Cut(strings.TrimSpace(out), "\n"); got != check.want {
			t.Errorf("%s can-i %s %s in %q = %q, want %q", sa, check.verb, check.resource, check.ns, out, check.want)
		}
	}

	// A second release (another namespace) leaves the CRDs to the first: crds.enabled=false.
	out, stderr, err = runHelm(t, "install", "second", chart, "--kubeconfig", c.kubeconfig,
		"--namespace", "other", "--create-namespace", "--set", "crds.enabled=false")
	if err != nil {
		t.Fatalf("second helm install: %v\n%s%s", err, out, stderr)
	}
}

// The kustomize install as docs/install.md gives it, server-side, and idempotent.
func TestKustomizeInstallServerSide(t *testing.T) {
	c := startCluster(t)
	c.mustKubectl(t, "apply", "--server-side", "-k", "config/default")
	c.mustKubectl(t, "wait", "--for=condition=Established", "--timeout=60s",
		"crd/elasticnodemanagers.elasticyarn.io", "crd/staticips.elasticyarn.io")
	c.mustKubectl(t, "-n", "elastic-yarn-system", "get", "deployment/elastic-yarn-operator", "serviceaccount/elastic-yarn-operator")
	c.mustKubectl(t, "apply", "--server-side", "-k", "config/default")
}

// Why --server-side (docs/install.md): client-side apply copies the whole object into the
// last-applied-configuration annotation, and all annotations together are capped at 256 KiB.
// A CRD whose compact JSON is over that cap (the ElasticNodeManager CRD padded up to it)
// cannot be applied client-side; server-side apply takes it. The real CRD's own share of the
// cap is logged, as the headroom left before client-side apply breaks for it too.
func TestClientSideApplyLimit(t *testing.T) {
	const annotationLimit = 256 << 10
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "config", "crd", "bases", "elasticyarn.io_elasticnodemanagers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var crd map[string]any
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(crd)
	t.Logf("ElasticNodeManager CRD: %d bytes of YAML, %d bytes in a last-applied annotation (%d%% of the %d-byte cap)",
		len(raw), len(compact), 100*len(compact)/annotationLimit, annotationLimit)

	// The same CRD under another name, with a description long enough to pass the cap.
	spec := crd["spec"].(map[string]any)
	spec["group"] = "padded.elasticyarn.io"
	crd["metadata"] = map[string]any{"name": "elasticnodemanagers.padded.elasticyarn.io"}
	version := spec["versions"].([]any)[0].(map[string]any)
	schema := version["schema"].(map[string]any)["openAPIV3Schema"].(map[string]any)
	schema["description"] = strings.Repeat("x", annotationLimit-len(compact)+1024)
	padded, _ := json.Marshal(crd)
	path := filepath.Join(t.TempDir(), "padded.json")
	if err := os.WriteFile(path, padded, 0o644); err != nil {
		t.Fatal(err)
	}

	c := startCluster(t)
	out, err := c.kubectl(t, "apply", "-f", path)
	if err == nil || !strings.Contains(out, "Too long") {
		t.Errorf("client-side apply of a %d-byte CRD: want a 'Too long' annotation error, got %v:\n%s", len(padded), err, tail(out, 500))
	}
	c.mustKubectl(t, "apply", "--server-side", "-f", path)
}

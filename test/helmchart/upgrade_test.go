package helmchart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

const enmCRDFile = "elasticyarn.io_elasticnodemanagers.yaml"

// pool is an ElasticNodeManager using spec.guarder.signalPolicy, the field a chart from before
// it existed does not know.
const signalPolicyPool = `apiVersion: elasticyarn.io/v1alpha1
kind: ElasticNodeManager
metadata:
  name: termonly
  namespace: yarn
spec:
  yarn: {clusterName: c, resourceManagers: ["http://rm.example.com:8088"]}
  template: {image: "hadoop:3.3.6"}
  staticIPs: {selector: {matchLabels: {pool: termonly}}}
  mode: Resident
  capacity: {static: {vcores: 4, memoryMB: 8192}}
  guarder: {signalPolicy: TermOnly}
`

// chartBeforeCRDTemplates is the chart in the shape it had before templates/crds.yaml (the
// CRDs in crds/, which Helm installs once and never upgrades), with an ElasticNodeManager CRD
// from before spec.guarder.signalPolicy.
func chartBeforeCRDTemplates(t *testing.T) string {
	t.Helper()
	dir := copyChart(t)
	if err := os.MkdirAll(filepath.Join(dir, "crds"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "files", "crds", "*.yaml"))
	for _, f := range files {
		if err := os.Rename(f, filepath.Join(dir, "crds", filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(dir, "templates", "crds.yaml")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "crds", enmCRDFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var crd map[string]any
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	guarder := dig(t, crd, "spec", "versions", 0, "schema", "openAPIV3Schema", "properties", "spec", "properties", "guarder", "properties").(map[string]any)
	if _, ok := guarder["signalPolicy"]; !ok {
		t.Fatal("fixture: the CRD has no spec.guarder.signalPolicy to remove")
	}
	delete(guarder, "signalPolicy")
	out, err := yaml.Marshal(crd)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
		if v == nil {
			t.Fatalf("fixture: nothing at %v", path)
		}
	}
	return v
}

// helm install of the chart as it was (CRDs in crds/, an ElasticNodeManager CRD without
// signalPolicy) prunes the field; after the one-time adoption of docs/install.md, helm upgrade
// to this chart upgrades the CRDs, the field is kept, and a second upgrade and an uninstall
// leave the CRDs in place (crds.keep).
func TestHelmUpgradeKeepsNewCRDFields(t *testing.T) {
	requireHelm(t)
	c := startCluster(t)
	helm := func(args ...string) {
		t.Helper()
		out, stderr, err := runHelm(t, append(args, "--kubeconfig", c.kubeconfig, "--namespace", releaseNamespace)...)
		if err != nil {
			t.Fatalf("helm %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
	}
	poolFile := filepath.Join(t.TempDir(), "pool.yaml")
	if err := os.WriteFile(poolFile, []byte(signalPolicyPool), 0o644); err != nil {
		t.Fatal(err)
	}
	signalPolicy := func() string {
		t.Helper()
		// --validate=false: like a controller's client, the write succeeds and an unknown
		// field is pruned silently (server-side apply would refuse it outright).
		c.mustKubectl(t, "apply", "--validate=false", "-f", poolFile)
		return c.mustKubectl(t, "-n", "yarn", "get", "enm", "termonly", "-o", "jsonpath={.spec.guarder.signalPolicy}")
	}

	helm("install", releaseName, chartBeforeCRDTemplates(t), "--create-namespace")
	c.mustKubectl(t, "wait", "--for=condition=Established", "--timeout=60s", "crd/elasticnodemanagers.elasticyarn.io")
	c.mustKubectl(t, "create", "namespace", "yarn")
	if got := signalPolicy(); got != "" {
		t.Fatalf("the old CRD kept signalPolicy %q; the fixture does not reproduce the pruning", got)
	}

	// The one-time adoption of docs/install.md, word for word.
	for _, crd := range []string{"elasticnodemanagers.elasticyarn.io", "staticips.elasticyarn.io"} {
		c.mustKubectl(t, "label", "crd", crd, "app.kubernetes.io/managed-by=Helm", "--overwrite")
		c.mustKubectl(t, "annotate", "crd", crd, "meta.helm.sh/release-name="+releaseName,
			"meta.helm.sh/release-namespace="+releaseNamespace, "--overwrite")
	}
	helm("upgrade", releaseName, chartDir(t))
	c.mustKubectl(t, "wait", "--for=condition=Established", "--timeout=60s", "crd/elasticnodemanagers.elasticyarn.io")
	if got := signalPolicy(); got != "TermOnly" {
		t.Fatalf("after helm upgrade signalPolicy is %q, want TermOnly: the CRD was not upgraded", got)
	}
	keep := c.mustKubectl(t, "get", "crd", "elasticnodemanagers.elasticyarn.io", "-o", `jsonpath={.metadata.annotations.helm\.sh/resource-policy}`)
	if keep != "keep" {
		t.Errorf("CRD resource policy %q, want keep", keep)
	}

	helm("upgrade", releaseName, chartDir(t))
	helm("uninstall", releaseName)
	if got := c.mustKubectl(t, "-n", "yarn", "get", "enm", "termonly", "-o", "jsonpath={.spec.guarder.signalPolicy}"); got != "TermOnly" {
		t.Errorf("after a second upgrade and an uninstall the pool reads %q, want it and its CRD kept", got)
	}
}

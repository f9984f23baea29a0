package helmchart

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

// A role.yaml such as controller-gen writes once the controllers need nodes, pods and
// secrets: the split for watchNamespaces must keep every grant, and keep only the
// cluster-scoped ones cluster-wide.
const syntheticRoles = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: elastic-yarn-operator
rules:
- apiGroups:
  - ""
  resources:
  - nodes
  - pods
  verbs:
  - get
  - list
  - watch
- apiGroups:
  - ""
  resources:
  - secrets
  verbs:
  - get
- apiGroups:
  - elasticyarn.io
  resources:
  - elasticnodemanagers
  - elasticnodemanagers/status
  verbs:
  - get
  - patch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: elastic-yarn-operator
  namespace: elastic-yarn-system
rules:
- apiGroups:
  - coordination.k8s.io
  resources:
  - leases
  verbs:
  - get
`

// chartWithRoles copies the chart to a temporary directory with roles as files/role.yaml.
func chartWithRoles(t *testing.T, roles string) string {
	t.Helper()
	dst := copyChart(t)
	if err := os.WriteFile(filepath.Join(dst, "files", "role.yaml"), []byte(roles), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// copyChart copies the chart to a temporary directory and returns the copy's path.
func copyChart(t *testing.T) string {
	t.Helper()
	src := chartDir(t)
	dst := filepath.Join(t.TempDir(), "elastic-yarn-operator")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestWatchNamespacesSplitsRules(t *testing.T) {
	chart := chartWithRoles(t, syntheticRoles)
	rolesPath := filepath.Join(chart, "files", "role.yaml")
	cluster, _ := generatedRoles(t, rolesPath)

	out, stderr, err := runHelm(t, "template", releaseName, chart, "--namespace", releaseNamespace,
		"--values", valuesFile(t, valueSets["watch namespaces"]))
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr)
	}
	objs, err := ParseObjects([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	got := renderedRules(t, objs)
	clusterWide := got["ClusterRole//"+fullname]
	perNamespace := got["ClusterRole//"+fullname+"-namespaced"]

	if want := []string{"|nodes|get|", "|nodes|list|", "|nodes|watch|"}; !slices.Equal(grants(clusterWide), want) {
		t.Errorf("cluster-wide grants %q, want only %q", grants(clusterWide), want)
	}
	union := grants(append(slices.Clone(clusterWide), perNamespace...))
	if want := grants(cluster); !slices.Equal(union, want) {
		t.Errorf("split lost or added grants:\n got %q\nwant %q", union, want)
	}

	bound := map[string]bool{}
	for _, o := range objs.OfKind("RoleBinding") {
		var b rbacv1.RoleBinding
		mustDecode(t, o, &b)
		if b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == fullname+"-namespaced" {
			bound[b.Namespace] = true
		}
	}
	if !bound["yarn-a"] || !bound["yarn-b"] || len(bound) != 2 {
		t.Errorf("namespaced rules bound in %v, want yarn-a and yarn-b", bound)
	}
	var crb rbacv1.ClusterRoleBinding
	if err := objs.Decode("ClusterRoleBinding", &crb); err != nil {
		t.Fatal(err)
	}
	if crb.RoleRef.Name != fullname {
		t.Errorf("ClusterRoleBinding binds %s", crb.RoleRef.Name)
	}
	assertBindings(t, objs)

	// Without watchNamespaces the same roles are bound cluster-wide, unchanged.
	out, stderr, err = runHelm(t, "template", releaseName, chart, "--namespace", releaseNamespace)
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr)
	}
	objs, _ = ParseObjects([]byte(out))
	if got := renderedRules(t, objs)["ClusterRole//"+fullname]; !equalRules(got, cluster) {
		t.Errorf("cluster-wide rules %v, want %v", got, cluster)
	}
}

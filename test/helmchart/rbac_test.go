package helmchart

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// generatedRoles reads config/rbac/role.yaml (controller-gen's output).
func generatedRoles(t *testing.T, path string) (cluster []rbacv1.PolicyRule, namespaced map[string][]rbacv1.PolicyRule) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := ParseObjects(raw)
	if err != nil {
		t.Fatal(err)
	}
	namespaced = map[string][]rbacv1.PolicyRule{}
	for _, o := range objs {
		switch o.Kind {
		case "ClusterRole":
			var r rbacv1.ClusterRole
			mustDecode(t, o, &r)
			cluster = append(cluster, r.Rules...)
		case "Role":
			var r rbacv1.Role
			mustDecode(t, o, &r)
			namespaced[r.Namespace] = append(namespaced[r.Namespace], r.Rules...)
		default:
			t.Fatalf("unexpected %s in %s", o.Kind, path)
		}
	}
	if len(cluster) == 0 {
		t.Fatalf("no ClusterRole rules in %s", path)
	}
	return cluster, namespaced
}

func mustDecode(t *testing.T, o Object, v any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(o.YAML, v); err != nil {
		t.Fatalf("%s %s: %v", o.Kind, o.Name, err)
	}
}

// renderedRules returns the rules of every rendered ClusterRole and Role by "Kind/ns/name".
func renderedRules(t *testing.T, objs Objects) map[string][]rbacv1.PolicyRule {
	t.Helper()
	out := map[string][]rbacv1.PolicyRule{}
	for _, o := range objs.OfKind("ClusterRole") {
		var r rbacv1.ClusterRole
		mustDecode(t, o, &r)
		out["ClusterRole//"+r.Name] = r.Rules
	}
	for _, o := range objs.OfKind("Role") {
		var r rbacv1.Role
		mustDecode(t, o, &r)
		out["Role/"+r.Namespace+"/"+r.Name] = r.Rules
	}
	return out
}

// grants expands rules into sorted "group|resource|verb|resourceName" tuples, so rule sets can
// be compared however they were cut into rules.
func grants(rules []rbacv1.PolicyRule) []string {
	set := map[string]bool{}
	for _, r := range rules {
		names := r.ResourceNames
		if len(names) == 0 {
			names = []string{""}
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					for _, n := range names {
						set[g+"|"+res+"|"+v+"|"+n] = true
					}
				}
			}
		}
		for _, u := range r.NonResourceURLs {
			for _, v := range r.Verbs {
				set["url|"+u+"|"+v] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for g := range set {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

const fullname = releaseName + "-elastic-yarn-operator"

func TestRBACRulesAreTheGeneratedOnes(t *testing.T) {
	cluster, namespaced := generatedRoles(t, filepath.Join(repoRoot(t), "config", "rbac", "role.yaml"))
	objs := template(t)
	got := renderedRules(t, objs)

	if !equalRules(got["ClusterRole//"+fullname], cluster) {
		t.Errorf("ClusterRole rules differ from config/rbac/role.yaml:\n got %v\nwant %v", got["ClusterRole//"+fullname], cluster)
	}
	for ns, rules := range namespaced {
		if ns == "elastic-yarn-system" {
			ns = releaseNamespace
		}
		if !equalRules(got["Role/"+ns+"/"+fullname], rules) {
			t.Errorf("Role in %s: rules differ from config/rbac/role.yaml:\n got %v\nwant %v", ns, got["Role/"+ns+"/"+fullname], rules)
		}
	}
	// Leader election needs its Lease rights where the operator runs: the release namespace,
	// whatever namespace the markers were generated for.
	var leaseRoleInRelease bool
	for _, g := range grants(got["Role/"+releaseNamespace+"/"+fullname]) {
		leaseRoleInRelease = leaseRoleInRelease || strings.HasPrefix(g, "coordination.k8s.io|leases|update|")
	}
	if !leaseRoleInRelease {
		t.Errorf("no Role in the release namespace %s lets the operator update Leases (generated namespaces %v)", releaseNamespace, keys(namespaced))
	}
	if len(got) != 1+len(namespaced) {
		t.Errorf("rendered roles %v, want one ClusterRole and %d Roles", keys(got), len(namespaced))
	}
	assertBindings(t, objs)
}

// equalRules compares rule lists exactly (order and cut included): the chart copies them.
func equalRules(a, b []rbacv1.PolicyRule) bool {
	ya, _ := yaml.Marshal(a)
	yb, _ := yaml.Marshal(b)
	return len(a) > 0 && string(ya) == string(yb)
}

func assertBindings(t *testing.T, objs Objects) {
	t.Helper()
	check := func(kind, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) {
		if len(subjects) != 1 || subjects[0].Kind != "ServiceAccount" || subjects[0].Name != fullname || subjects[0].Namespace != releaseNamespace {
			t.Errorf("%s %s subjects %+v", kind, name, subjects)
		}
		if !strings.HasPrefix(ref.Name, fullname) {
			t.Errorf("%s %s binds %s %s", kind, name, ref.Kind, ref.Name)
		}
	}
	for _, o := range objs.OfKind("ClusterRoleBinding") {
		var b rbacv1.ClusterRoleBinding
		mustDecode(t, o, &b)
		check(o.Kind, b.Name, b.RoleRef, b.Subjects)
	}
	for _, o := range objs.OfKind("RoleBinding") {
		var b rbacv1.RoleBinding
		mustDecode(t, o, &b)
		check(o.Kind, b.Namespace+"/"+b.Name, b.RoleRef, b.Subjects)
	}
}

func TestRBACNoWildcardsAndSecretsOnlyAsGenerated(t *testing.T) {
	cluster, namespaced := generatedRoles(t, filepath.Join(repoRoot(t), "config", "rbac", "role.yaml"))
	all := slices.Clone(cluster)
	for _, r := range namespaced {
		all = append(all, r...)
	}
	allowedSecrets := secretGrants(all)
	for name, values := range valueSets {
		t.Run(name, func(t *testing.T) {
			objs := template(t, values)
			for role, rules := range renderedRules(t, objs) {
				for _, r := range rules {
					for _, field := range [][]string{r.Verbs, r.Resources, r.APIGroups, r.NonResourceURLs} {
						if slices.Contains(field, "*") {
							t.Errorf("%s: wildcard in rule %+v", role, r)
						}
					}
				}
				for _, g := range secretGrants(rules) {
					if !slices.Contains(allowedSecrets, g) {
						t.Errorf("%s grants %s on secrets, which config/rbac/role.yaml does not", role, g)
					}
				}
			}
		})
	}
}

func secretGrants(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, g := range grants(rules) {
		if parts := strings.Split(g, "|"); parts[0] == "" && parts[1] == "secrets" {
			out = append(out, g)
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

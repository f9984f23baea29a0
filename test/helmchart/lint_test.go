package helmchart

import "testing"

// valueSets are the configurations the chart must lint and render cleanly with.
var valueSets = map[string]string{
	"defaults": ``,
	"single replica without leader election": `
replicas: 1
leaderElection: {enabled: false}
`,
	"everything on": `
replicas: 3
podDisruptionBudget: {enabled: true, minAvailable: 2}
metrics:
  serviceMonitor: {enabled: true, labels: {release: prometheus}}
guarder:
  image: {repository: registry.example.com/guarder, tag: v9.9.9}
  podMonitor: {enabled: true, namespaces: [yarn]}
dashboard: {enabled: true}
logLevel: debug
extraArgs: [--leader-election-namespace=elastic-yarn-system]
`,
	"watch namespaces": `
watchNamespaces: [yarn-a, yarn-b]
`,
	"pinned digest and existing service account": `
image: {repository: registry.example.com/operator, digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
serviceAccount: {create: false, name: operator}
`,
}

func TestLintStrict(t *testing.T) {
	for name, values := range valueSets {
		t.Run(name, func(t *testing.T) {
			args := []string{"lint", "--strict", chartDir(t), "--namespace", releaseNamespace}
			if values != "" {
				args = append(args, "--values", valuesFile(t, values))
			}
			out, stderr, err := runHelm(t, args...)
			if err != nil {
				t.Fatalf("helm lint --strict: %v\n%s%s", err, out, stderr)
			}
		})
	}
}

func TestTemplateRendersEveryValueSet(t *testing.T) {
	for name, values := range valueSets {
		t.Run(name, func(t *testing.T) {
			objs := template(t, values)
			// Which ClusterRoleBindings exist depends on watchNamespaces and on the generated rules.
			for _, kind := range []string{"Deployment", "ClusterRole", "Role", "RoleBinding"} {
				if len(objs.OfKind(kind)) == 0 {
					t.Errorf("no %s rendered", kind)
				}
			}
			for _, o := range objs {
				if o.Name == "" {
					t.Errorf("%s without a name", o.Kind)
				}
			}
		})
	}
}

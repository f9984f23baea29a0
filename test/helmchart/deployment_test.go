package helmchart

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

func deployment(t *testing.T, values ...string) appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	if err := template(t, values...).Decode("Deployment", &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func operatorContainer(t *testing.T, d appsv1.Deployment) corev1.Container {
	t.Helper()
	if len(d.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(d.Spec.Template.Spec.Containers))
	}
	return d.Spec.Template.Spec.Containers[0]
}

func TestDeploymentDefaults(t *testing.T) {
	d := deployment(t)
	if d.Namespace != releaseNamespace {
		t.Errorf("namespace %q, want %q", d.Namespace, releaseNamespace)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas %v, want 2", d.Spec.Replicas)
	}
	c := operatorContainer(t, d)
	if c.Image != "ghcr.io/elasticyarn/operator:v0.1.0" {
		t.Errorf("image %q", c.Image)
	}
	for _, want := range []string{
		"--leader-elect", "--metrics-bind-address=:8080", "--health-probe-bind-address=:8081",
		"--guarder-image=ghcr.io/elasticyarn/guarder:v0.1.0", "--zap-log-level=info",
	} {
		if !slices.Contains(c.Args, want) {
			t.Errorf("args %q lack %q", c.Args, want)
		}
	}
	for _, arg := range c.Args {
		if strings.HasPrefix(arg, "--watch-namespaces") {
			t.Errorf("%s rendered without watchNamespaces", arg)
		}
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["metrics"] != 8080 || ports["probes"] != 8081 {
		t.Errorf("ports %v", ports)
	}
	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil || p.HTTPGet == nil {
			t.Fatalf("%s probe missing", name)
		}
		if p.HTTPGet.Path != path || p.HTTPGet.Port.String() != "probes" {
			t.Errorf("%s probe %s on %s", name, p.HTTPGet.Path, p.HTTPGet.Port.String())
		}
	}
	probe("liveness", c.LivenessProbe, "/healthz")
	probe("readiness", c.ReadinessProbe, "/readyz")
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %v", c.Resources)
	}
	if got := *d.Spec.Template.Spec.TerminationGracePeriodSeconds; got != 40 {
		t.Errorf("terminationGracePeriodSeconds %d, want 30s shutdown + 10", got)
	}
}

// The pod must pass the "restricted" Pod Security Standard (the namespace enforces it).
func TestDeploymentSecurityContextRestricted(t *testing.T) {
	d := deployment(t)
	pod := d.Spec.Template.Spec.SecurityContext
	if pod == nil || pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot {
		t.Errorf("pod runAsNonRoot not set: %+v", pod)
	}
	if pod == nil || pod.SeccompProfile == nil || pod.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod seccomp not RuntimeDefault: %+v", pod)
	}
	sc := operatorContainer(t, d).SecurityContext
	if sc == nil {
		t.Fatal("container securityContext missing")
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem not true")
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation not false")
	}
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Error("container runAsNonRoot not true")
	}
	if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) != 0 {
		t.Errorf("capabilities %+v, want drop [ALL] and nothing added", sc.Capabilities)
	}
}

func TestLeaderElection(t *testing.T) {
	cases := []struct {
		name, values string
		want         bool
	}{
		{"two replicas", "replicas: 2", true},
		{"five replicas", "replicas: 5", true},
		{"one replica, enabled", "replicas: 1", true},
		{"one replica, disabled", "replicas: 1\nleaderElection: {enabled: false}", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := operatorContainer(t, deployment(t, tc.values)).Args
			if got := slices.Contains(args, "--leader-elect"); got != tc.want {
				t.Errorf("--leader-elect present %v, want %v (args %q)", got, tc.want, args)
			}
		})
	}
	t.Run("more than one replica without leader election fails", func(t *testing.T) {
		_, stderr, err := templateRaw(t, "replicas: 2\nleaderElection: {enabled: false}")
		if err == nil || !strings.Contains(stderr, "needs leaderElection.enabled") {
			t.Errorf("want a rendering failure, got err=%v\n%s", err, stderr)
		}
	})
}

func TestDeploymentValues(t *testing.T) {
	d := deployment(t, valueSets["everything on"], `
metrics: {port: 9090}
probes: {port: 9091}
gracefulShutdownTimeout: 1m30s
`)
	c := operatorContainer(t, d)
	for _, want := range []string{
		"--metrics-bind-address=:9090", "--health-probe-bind-address=:9091",
		"--guarder-image=registry.example.com/guarder:v9.9.9", "--zap-log-level=debug",
		"--graceful-shutdown-timeout=1m30s", "--leader-election-namespace=elastic-yarn-system",
	} {
		if !slices.Contains(c.Args, want) {
			t.Errorf("args %q lack %q", c.Args, want)
		}
	}
	if *d.Spec.Replicas != 3 {
		t.Errorf("replicas %d", *d.Spec.Replicas)
	}
	if got := *d.Spec.Template.Spec.TerminationGracePeriodSeconds; got != 100 {
		t.Errorf("terminationGracePeriodSeconds %d, want 90+10", got)
	}

	d = deployment(t, valueSets["pinned digest and existing service account"])
	if img := operatorContainer(t, d).Image; img != "registry.example.com/operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" {
		t.Errorf("image %q", img)
	}
	if d.Spec.Template.Spec.ServiceAccountName != "operator" {
		t.Errorf("serviceAccountName %q", d.Spec.Template.Spec.ServiceAccountName)
	}
	if n := len(template(t, valueSets["pinned digest and existing service account"]).OfKind("ServiceAccount")); n != 0 {
		t.Errorf("%d ServiceAccounts rendered with serviceAccount.create=false", n)
	}

	c = operatorContainer(t, deployment(t, valueSets["watch namespaces"]))
	if !slices.Contains(c.Args, "--watch-namespaces=yarn-a,yarn-b") {
		t.Errorf("args %q lack --watch-namespaces", c.Args)
	}
}

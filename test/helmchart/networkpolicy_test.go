package helmchart

import (
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

func networkPolicies(t *testing.T, values ...string) []networkingv1.NetworkPolicy {
	t.Helper()
	var out []networkingv1.NetworkPolicy
	for _, obj := range template(t, values...).OfKind("NetworkPolicy") {
		var np networkingv1.NetworkPolicy
		one := Objects{obj}
		if err := one.Decode("NetworkPolicy", &np); err != nil {
			t.Fatal(err)
		}
		out = append(out, np)
	}
	return out
}

// peer is a client pod: its namespace's labels and its own.
type peer struct{ nsLabels, podLabels map[string]string }

func subset(want, have map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// admits evaluates the policy's ingress rules for a TCP connection from p to port.
func admits(np networkingv1.NetworkPolicy, p peer, port int32) bool {
	for _, rule := range np.Spec.Ingress {
		portOK := len(rule.Ports) == 0
		for _, rp := range rule.Ports {
			proto := corev1.ProtocolTCP
			if rp.Protocol != nil {
				proto = *rp.Protocol
			}
			if proto != corev1.ProtocolTCP || rp.Port == nil {
				continue
			}
			lo, hi := rp.Port.IntVal, rp.Port.IntVal
			if rp.EndPort != nil {
				hi = *rp.EndPort
			}
			if port >= lo && port <= hi {
				portOK = true
			}
		}
		fromOK := len(rule.From) == 0
		for _, f := range rule.From {
			nsOK := f.NamespaceSelector != nil && subset(f.NamespaceSelector.MatchLabels, p.nsLabels)
			if f.NamespaceSelector == nil {
				nsOK = false // same-namespace peers only; the operator is elsewhere
			}
			podOK := f.PodSelector == nil || subset(f.PodSelector.MatchLabels, p.podLabels)
			if nsOK && podOK {
				fromOK = true
			}
		}
		if portOK && fromOK {
			return true
		}
	}
	return false
}

func TestGuarderNetworkPolicyAdmitsOnlyTheOperatorToTheGuarderPort(t *testing.T) {
	nps := networkPolicies(t, "guarder:\n  networkPolicy:\n    namespaces: [yarn, batch]\n")
	if len(nps) != 2 || nps[0].Namespace != "yarn" || nps[1].Namespace != "batch" {
		t.Fatalf("policies %+v, want one in yarn and one in batch", nps)
	}
	operator := peer{
		nsLabels:  map[string]string{"kubernetes.io/metadata.name": releaseNamespace},
		podLabels: map[string]string{"app.kubernetes.io/name": "elastic-yarn-operator", "app.kubernetes.io/instance": releaseName},
	}
	otherPodInOperatorNS := peer{nsLabels: operator.nsLabels, podLabels: map[string]string{"app": "something-else"}}
	yarnAM := peer{nsLabels: map[string]string{"kubernetes.io/metadata.name": "yarn"}, podLabels: map[string]string{"elasticyarn.io/pool": "night"}}
	for _, np := range nps {
		sel := np.Spec.PodSelector
		if len(sel.MatchExpressions) != 1 || sel.MatchExpressions[0].Key != "elasticyarn.io/pool" || len(np.Spec.PolicyTypes) != 1 || np.Spec.PolicyTypes[0] != networkingv1.PolicyTypeIngress {
			t.Fatalf("%s: selector %+v types %v", np.Namespace, sel, np.Spec.PolicyTypes)
		}
		for _, tc := range []struct {
			who  string
			p    peer
			port int32
			want bool
		}{
			{"operator -> guarder", operator, 9810, true},
			{"other pod in the operator's namespace -> guarder", otherPodInOperatorNS, 9810, false},
			{"NodeManager peer -> guarder", yarnAM, 9810, false},
			{"anyone -> NM RPC", yarnAM, 8041, true},
			{"anyone -> NM web", otherPodInOperatorNS, 8042, true},
			{"anyone -> shuffle", yarnAM, 13562, true},
			{"anyone -> port 1", yarnAM, 1, true},
			{"anyone -> port 65535", yarnAM, 65535, true},
			{"anyone -> 9809", yarnAM, 9809, true},
			{"anyone -> 9811", yarnAM, 9811, true},
		} {
			if got := admits(np, tc.p, tc.port); got != tc.want {
				t.Errorf("%s: %s: admitted %v, want %v", np.Namespace, tc.who, got, tc.want)
			}
		}
	}
}

func TestGuarderNetworkPolicyDefaultsAndSwitches(t *testing.T) {
	if nps := networkPolicies(t); len(nps) != 1 || nps[0].Namespace != releaseNamespace {
		t.Fatalf("default: %+v, want one policy in the release namespace", nps)
	}
	if nps := networkPolicies(t, "watchNamespaces: [team-a]\n"); len(nps) != 1 || nps[0].Namespace != "team-a" {
		t.Fatalf("watchNamespaces: %+v, want one policy in team-a", nps)
	}
	if nps := networkPolicies(t, "guarder:\n  networkPolicy:\n    enabled: false\n"); len(nps) != 0 {
		t.Fatalf("disabled: %+v", nps)
	}
	prom := peer{nsLabels: map[string]string{"kubernetes.io/metadata.name": "monitoring"}}
	nps := networkPolicies(t, "guarder:\n  networkPolicy:\n    port: 9900\n    extraFrom:\n      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}\n")
	if len(nps) != 1 || !admits(nps[0], prom, 9900) || admits(nps[0], peer{nsLabels: map[string]string{"kubernetes.io/metadata.name": "x"}}, 9900) ||
		!admits(nps[0], peer{}, 9810) {
		t.Fatalf("port 9900 with extraFrom: %+v", nps)
	}
}

// TestKustomizeGuarderNetworkPolicy checks config/networkpolicy (no helm needed) with the same
// evaluation: the operator as config/manager deploys it is the only client of the guarder port.
func TestKustomizeGuarderNetworkPolicy(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "config", "networkpolicy", "guarder-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var np networkingv1.NetworkPolicy
	if err := yaml.UnmarshalStrict(data, &np); err != nil {
		t.Fatal(err)
	}
	operator := peer{
		nsLabels:  map[string]string{"kubernetes.io/metadata.name": "elastic-yarn-system"},
		podLabels: map[string]string{"app.kubernetes.io/name": "elastic-yarn-operator"},
	}
	stranger := peer{nsLabels: map[string]string{"kubernetes.io/metadata.name": "yarn"}}
	if !admits(np, operator, 9810) || admits(np, stranger, 9810) || !admits(np, stranger, 8042) ||
		!admits(np, stranger, 9809) || !admits(np, stranger, 9811) || !admits(np, stranger, 1) || !admits(np, stranger, 65535) {
		t.Fatalf("policy admits the wrong peers: %+v", np.Spec.Ingress)
	}
	if np.Namespace != "" {
		t.Errorf("namespace %q: the policy must take the NodeManagers' namespace at apply time", np.Namespace)
	}
}

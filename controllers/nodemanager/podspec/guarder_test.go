package podspec

import (
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

func TestGuarderSignalPolicyArg(t *testing.T) {
	tests := []struct {
		policy v1alpha1.SignalPolicy
		want   string
	}{
		// Not defaulted by the API server (in-memory objects, objects older than the field).
		{"", "--signal-policy=Graceful"},
		{v1alpha1.SignalGraceful, "--signal-policy=Graceful"},
		{v1alpha1.SignalTermOnly, "--signal-policy=TermOnly"},
	}
	for _, tt := range tests {
		t.Run("policy="+string(tt.policy), func(t *testing.T) {
			e := sampleENM()
			e.Spec.Guarder.SignalPolicy = tt.policy
			pod := Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "guarder:default"})
			var found []string
			for _, a := range pod.Spec.Containers[1].Args {
				if strings.HasPrefix(a, "--signal-policy") {
					found = append(found, a)
				}
			}
			if len(found) != 1 || found[0] != tt.want {
				t.Fatalf("signal policy args %v, want [%s]", found, tt.want)
			}
		})
	}
}

// TestGuarderAcceptsEveryAPISignalPolicy: the guarder keeps its own Policy type (the sidecar
// does not import the API), so a value added to the CRD enum must also be taught to the
// guarder, or pods would crash-loop on the flag.
func TestGuarderAcceptsEveryAPISignalPolicy(t *testing.T) {
	for _, p := range []v1alpha1.SignalPolicy{v1alpha1.SignalGraceful, v1alpha1.SignalTermOnly, DefaultSignalPolicy} {
		got, err := signaller.ParsePolicy(string(p))
		if err != nil || string(got) != string(p) {
			t.Errorf("guarder parses API policy %q as %q, %v", p, got, err)
		}
	}
}

package podspec

import (
	"flag"
	"io"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

func TestGuarderSignalPolicyEnv(t *testing.T) {
	tests := []struct {
		policy v1alpha1.SignalPolicy
		want   string
	}{
		// Not defaulted by the API server (in-memory objects, objects older than the field).
		{"", "Graceful"},
		{v1alpha1.SignalGraceful, "Graceful"},
		{v1alpha1.SignalTermOnly, "TermOnly"},
	}
	for _, tt := range tests {
		t.Run("policy="+string(tt.policy), func(t *testing.T) {
			e := sampleENM()
			e.Spec.Guarder.SignalPolicy = tt.policy
			pod := Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "guarder:default"})
			var found []string
			for _, env := range pod.Spec.Containers[1].Env {
				if env.Name == contract.EnvSignalPolicy {
					found = append(found, env.Value)
				}
			}
			if len(found) != 1 || found[0] != tt.want {
				t.Fatalf("%s values %v, want [%s]", contract.EnvSignalPolicy, found, tt.want)
			}
		})
	}
}

// TestGuarderArgsAreAcceptedByAContract1Guarder parses the sidecar's arguments, for every
// setting the API offers, with exactly the flags a contract-1 guarder defines (Go's flag
// package, like the guarder: an unknown flag is an error). A guarder older than the operator
// must start, not crash-loop on "flag provided but not defined".
func TestGuarderArgsAreAcceptedByAContract1Guarder(t *testing.T) {
	yes := true
	variants := map[string]func(*v1alpha1.ElasticNodeManager){
		"defaults": func(*v1alpha1.ElasticNodeManager) {},
		"TermOnly": func(e *v1alpha1.ElasticNodeManager) { e.Spec.Guarder.SignalPolicy = v1alpha1.SignalTermOnly },
		"dry run":  func(e *v1alpha1.ElasticNodeManager) { e.Spec.Guarder.DryRun = true },
		"ProcessInspection": func(e *v1alpha1.ElasticNodeManager) {
			e.Spec.Guarder.ContainerIdentification = v1alpha1.IdentifyByProcessInspection
		},
		"port and grace": func(e *v1alpha1.ElasticNodeManager) { e.Spec.Guarder.Port = 9999; e.Spec.Guarder.Enabled = &yes },
	}
	for name, mutate := range variants {
		e := sampleENM()
		mutate(e)
		args := Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"}).Spec.Containers[1].Args
		fs := flag.NewFlagSet("contract1-guarder", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		for _, f := range contract.Contract1Flags {
			fs.String(f, "", "")
		}
		if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
			t.Errorf("%s: a contract-1 guarder rejects %v: %v", name, args, err)
		}
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

package helmchart

import (
	"strings"
	"testing"
)

// values.schema.json rejects wrong types, unknown keys and bad enums before anything renders.
func TestSchemaRejectsBadValues(t *testing.T) {
	cases := map[string]string{
		"replicas as a word":     `replicas: "two"`,
		"negative replicas":      `replicas: -1`,
		"unknown top-level key":  `replica: 2`,
		"unknown nested key":     `leaderElection: {enable: true}`,
		"bad pull policy":        `image: {pullPolicy: Sometimes}`,
		"bad duration":           `gracefulShutdownTimeout: 30`,
		"bad log level":          `logLevel: verbose`,
		"bad namespace name":     `watchNamespaces: [Yarn_A]`,
		"bad digest":             `image: {digest: latest}`,
		"port out of range":      `metrics: {port: 70000}`,
		"extra arg without dash": `extraArgs: [leader-elect]`,
		"bad minAvailable":       `podDisruptionBudget: {enabled: true, minAvailable: "half"}`,
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			out, stderr, err := templateRaw(t, values)
			if err == nil {
				t.Fatalf("helm template accepted %q:\n%s", values, tail(out, 500))
			}
			if !strings.Contains(stderr, "schema") {
				t.Errorf("failed for another reason than the schema: %s", stderr)
			}
		})
	}
}

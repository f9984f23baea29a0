package staticippolicy_test

import (
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// FuzzValidateKeytab: whatever a Secret holds, validation neither panics nor quotes it.
func FuzzValidateKeytab(f *testing.F) {
	f.Add([]byte{5, 2, 0, 0, 0, 0})
	f.Add([]byte{5, 1, 0, 0, 0, 0x20, 0, 1})
	f.Add(append([]byte{5, 2, 0, 0, 0, 0x40, 0, 2}, []byte("MARKER-MARKER-MARKER")...))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := staticippolicy.ValidateKeytab(staticippolicy.KeytabInput{Data: data, FQDN: "nm.example.test", Realm: "EXAMPLE.TEST"})
		if got.Reason == "" || got.Message == "" {
			t.Fatalf("no verdict: %+v", got)
		}
		if strings.Contains(got.Message, "MARKER-MARKER") {
			t.Fatalf("message quotes the input: %q", got.Message)
		}
	})
}

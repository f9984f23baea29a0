package helmchart

import (
	"flag"
	"io"
	"strings"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/elasticyarn/elastic-yarn-operator/cmd/operator/app"
)

// pendingFlags are flags the chart renders for an option the operator binary does not have
// yet; the option is documented as such (values.yaml, docs/install.md). When the flag lands,
// this test fails until the entry is removed.
var pendingFlags = map[string]string{}

// operatorFlags is the operator's command line as cmd/operator builds it.
func operatorFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("operator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := app.DefaultOptions()
	opts.BindFlags(fs)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(fs)
	return fs
}

// Every argument the chart renders, with every value set, is one the operator accepts.
func TestRenderedArgsParse(t *testing.T) {
	for name, values := range valueSets {
		t.Run(name, func(t *testing.T) {
			args := operatorContainer(t, deployment(t, values)).Args
			var kept []string
			for _, a := range args {
				flagName := strings.SplitN(strings.TrimLeft(a, "-"), "=", 2)[0]
				if why, ok := pendingFlags[flagName]; ok {
					t.Logf("not checked, pending in the operator: %s (%s)", a, why)
					continue
				}
				kept = append(kept, a)
			}
			fs := operatorFlags()
			if err := fs.Parse(kept); err != nil {
				t.Errorf("the operator rejects the chart's arguments %q: %v", kept, err)
			}
			if len(fs.Args()) > 0 {
				t.Errorf("arguments the operator would ignore: %q", fs.Args())
			}
		})
	}
	fs := operatorFlags()
	for name := range pendingFlags {
		if fs.Lookup(name) != nil {
			t.Errorf("--%s now exists in the operator: remove it from pendingFlags", name)
		}
	}
}

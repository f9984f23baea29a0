package yarnclient_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func TestMetricsArePerOperationWithoutHighCardinality(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	reg := prometheus.NewRegistry()
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, Registerer: reg})
	// A second client on the same registry shares the collectors instead of failing.
	c2 := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, Registerer: reg})
	ctx := context.Background()
	_, _ = c.GetNode(ctx, nodeA)
	_, _ = c2.GetNode(ctx, "ghost.example.test:8041")

	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, mf := range mfs {
		seen[mf.GetName()] = true
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() != "operation" && l.GetName() != "code" {
					t.Errorf("unexpected label %s", l.GetName())
				}
				if strings.Contains(l.GetValue(), "example.test") || strings.Contains(l.GetValue(), "127.0.0.1") {
					t.Errorf("high-cardinality label value %q", l.GetValue())
				}
			}
			if mf.GetName() == "elastic_yarn_rmclient_requests_total" {
				codes := map[string]string{}
				for _, l := range m.GetLabel() {
					codes[l.GetName()] = l.GetValue()
				}
				if codes["operation"] != "GetNode" || (codes["code"] != "200" && codes["code"] != "404") {
					t.Errorf("labels %v", codes)
				}
			}
		}
	}
	for _, name := range []string{"elastic_yarn_rmclient_requests_total", "elastic_yarn_rmclient_request_duration_seconds"} {
		if !seen[name] {
			t.Errorf("metric %s missing", name)
		}
	}
}

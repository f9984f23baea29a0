package v1alpha1_test

import (
	"strings"
	"testing"
	"time"
)

// explain retries while the apiserver has not yet published the new CRDs' OpenAPI, which
// lags behind the CRDs becoming Established.
func explain(field string) (string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := env.Kubectl("explain", field)
		if err == nil || time.Now().After(deadline) {
			return out, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestKubectlExplain checks what a platform engineer sees first: the field docs of the
// generated CRD as served by a real apiserver.
func TestKubectlExplain(t *testing.T) {
	cases := map[string][]string{
		"elasticnodemanager.spec": {
			"ElasticNodeManagerSpec is the desired pool of NodeManagers",
			"mode\t<string> -required-",
			"capacity\t<Object> -required-",
			"decommission\t<Object>",
		},
		"elasticnodemanager.spec.schedule.windows": {
			"crossesMidnight\t<boolean>",
			"drainDuration\t<string>",
		},
		"staticip.spec.address": {"IPv4 or IPv6 address"},
	}
	for field, wants := range cases {
		out, err := explain(field)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl explain %s lacks %q:\n%s", field, want, out)
			}
		}
		t.Logf("kubectl explain %s:\n%s", field, out)
	}
}

package rmemulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// TestReregistrationGapAfterRestartAndFailover: a newly active RM lists no NodeManager until
// each registers again; their containers keep running meanwhile and are back in the listing
// afterwards, and an inactive node is forgotten for good.
func TestReregistrationGapAfterRestartAndFailover(t *testing.T) {
	for _, tc := range []struct {
		name    string
		recover func(e *rmemulator.Emulator) error
	}{
		{"failover", func(e *rmemulator.Emulator) error { return e.Failover(1) }},
		{"restart", func(e *rmemulator.Emulator) error { return e.RestartRM() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := rmemulator.New(rmemulator.Config{RMs: 2, ReregistrationDelay: 50 * time.Millisecond})
			a := register(t, e, "a", 8192, 8)
			gone := register(t, e, "gone", 8192, 8)
			if err := e.SetNodeState(gone, yarnclient.NodeDecommissioned); err != nil {
				t.Fatal(err)
			}
			e.SubmitApp(rmemulator.AppSpec{Containers: 2, Duration: time.Hour})
			e.Tick(t0)
			running := len(e.Containers(a))
			if running != 3 {
				t.Fatalf("%d containers placed, want 3", running)
			}
			if err := tc.recover(e); err != nil {
				t.Fatal(err)
			}
			active := httptest.NewServer(e.RMHandler(e.ActiveRM()))
			defer active.Close()
			get := func(path string) (int, string) {
				resp, err := http.Get(active.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, strings.TrimSpace(string(b))
			}
			if code, body := get("/ws/v1/cluster/nodes"); code != 200 || body != `{"nodes":{}}` {
				t.Fatalf("nodes in the gap: %d %s", code, body)
			}
			if code, _ := get("/ws/v1/cluster/nodes/" + a); code != 404 {
				t.Fatalf("GET node in the gap: %d, want 404", code)
			}
			e.Tick(t0.Add(time.Second))
			if n := len(e.Containers(a)); n != running {
				t.Fatalf("containers in the gap %d, want %d kept (work-preserving recovery)", n, running)
			}
			waitFor(t, func() bool { v, _ := e.Node(a); return v.Registered })
			if code, body := get("/ws/v1/cluster/nodes/" + a); code != 200 || !strings.Contains(body, `"numContainers":3`) {
				t.Fatalf("after re-registration: %d %s", code, body)
			}
			if code, _ := get("/ws/v1/cluster/nodes/" + gone); code != 404 {
				t.Fatalf("inactive node after the restart: %d, want 404 (not in the state store)", code)
			}
		})
	}
}

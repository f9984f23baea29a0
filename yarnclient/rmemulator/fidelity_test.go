package rmemulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestLabelSemanticsFollowHadoop: RMWebServices.replaceLabelsOnNode(s) over
// CommonNodeLabelsManager: no node check (labels wait for the node), at most one label per
// node (YARN-2694), "host" means host:0, and a bulk replace validates every entry first.
func TestLabelSemanticsFollowHadoop(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{})
	a := register(t, e, "a", 8192, 8)
	h := httptest.NewServer(e.Handler())
	defer h.Close()
	base := h.URL + "/ws/v1/cluster"
	if code, body := post(t, base+"/add-node-labels", `{"nodeLabelInfo":[{"name":"elastic","exclusivity":false},{"name":"gpu","exclusivity":true}]}`); code != 200 {
		t.Fatalf("add labels: %d %s", code, body)
	}

	if code, body := post(t, base+"/nodes/later:8041/replace-labels?labels=elastic", ""); code != 200 {
		t.Fatalf("unknown node: %d %s, want 200 (no node check)", code, body)
	}
	later := register(t, e, "later", 8192, 8)
	if n, _ := e.Node(later); len(n.Labels) != 1 || n.Labels[0] != "elastic" {
		t.Errorf("a node registering after its labels were set: %v", n.Labels)
	}

	code, body := post(t, base+"/nodes/"+a+"/replace-labels?labels=elastic&labels=gpu", "")
	if code != 400 || !strings.Contains(body, "java.io.IOException: 2 labels specified on host=a, please note that we do not support specifying multiple labels on a single host for now.") {
		t.Errorf("two labels: %d %s, want 400 (YARN-2694)", code, body)
	}

	if code, body := post(t, base+"/nodes/a/replace-labels?labels=gpu", ""); code != 200 {
		t.Fatalf("no port: %d %s, want host:0", code, body)
	}
	if n, _ := e.Node(a); len(n.Labels) != 1 || n.Labels[0] != "gpu" {
		t.Errorf("host:0 applies to every NM of the host: %v", n.Labels)
	}

	code, body = post(t, base+"/replace-node-to-labels",
		`{"nodeToLabels":[{"nodeId":"`+a+`","labels":["elastic"]},{"nodeId":"`+later+`","labels":["nosuch"]}]}`)
	if code != 400 || !strings.Contains(body, "Not all labels being replaced contained by known label collections") {
		t.Errorf("bulk with an unknown label: %d %s", code, body)
	}
	if n, _ := e.Node(a); n.Labels[0] != "gpu" {
		t.Errorf("a failed bulk replace changed %s to %v: validation must come first", a, n.Labels)
	}
}

// TestStandbyRedirectsAllButClusterInfo: RMWebAppFilter exempts exactly /ws/v1/cluster/info.
func TestStandbyRedirectsAllButClusterInfo(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{RMs: 2})
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]int{"/ws/v1/cluster/info": 200, "/ws/v1/cluster": 307, "/ws/v1/cluster/": 307, "/ws/v1/cluster/nodes": 307} {
		resp, err := noFollow.Get(e.URLs()[1] + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("standby %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// TestOvercommitKillsAMsLast: an expired over-commit timeout kills in
// SchedulerNode.getContainersToKill order: task containers newest first, AMs last.
func TestOvercommitKillsAMsLast(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{})
	n := register(t, e, "n", 8192, 8)
	e.SubmitApp(rmemulator.AppSpec{Containers: 3, Resource: rmemulator.Resource{MemoryMB: 1024, VCores: 1},
		AMResource: rmemulator.Resource{MemoryMB: 1024, VCores: 1}, Duration: time.Hour})
	e.Tick(t0) // AM placed with the tasks: 4 containers of 1 vcore
	h := httptest.NewServer(e.Handler())
	defer h.Close()
	if code, body := post(t, h.URL+"/ws/v1/cluster/nodes/"+n+"/resource", `{"resource":{"memory":1024,"vCores":1},"overCommitTimeout":0}`); code != 200 {
		t.Fatalf("resize: %d %s", code, body)
	}
	waitFor(t, func() bool { v, _ := e.Node(n); return v.NumContainers == 1 })
	if cs := e.Containers(n); len(cs) != 1 || !cs[0].AM {
		t.Fatalf("left running %+v, want only the AM", cs)
	}
}

package rmemulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

var t0 = time.Unix(1_700_000_000, 0)

func register(t *testing.T, e *rmemulator.Emulator, host string, mem, vcores int64) string {
	t.Helper()
	id, err := e.RegisterNode(rmemulator.NodeSpec{Host: host, RPCPort: 8041, Capacity: rmemulator.Resource{MemoryMB: mem, VCores: vcores}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestWorkloadPlacesUpToCapacityAndSkipsDrainedNodes(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{})
	a := register(t, e, "a", 8192, 8)
	dec := register(t, e, "dec", 65536, 32)
	zero := register(t, e, "zero", 65536, 32)
	if err := e.SetNodeState(dec, yarnclient.NodeDecommissioning); err != nil {
		t.Fatal(err)
	}
	// A node drained to zero (resize is asynchronous; ResizeDelay 0 applies right after).
	h := httptest.NewServer(e.Handler())
	defer h.Close()
	resp, err := http.Post(h.URL+"/ws/v1/cluster/nodes/"+zero+"/resource", "application/json",
		strings.NewReader(`{"resource":{"memory":0,"vCores":0},"overCommitTimeout":-1}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("resize: %v %v", err, resp)
	}
	resp.Body.Close()
	waitFor(t, func() bool { v, _ := e.Node(zero); return v.Total.MemoryMB == 0 })

	low := e.SubmitApp(rmemulator.AppSpec{Priority: 1, Containers: 10, Resource: rmemulator.Resource{MemoryMB: 1024, VCores: 1}, Duration: time.Minute})
	high := e.SubmitApp(rmemulator.AppSpec{Priority: 9, Containers: 2, Resource: rmemulator.Resource{MemoryMB: 2048, VCores: 1}, Duration: 30 * time.Second})
	e.Tick(t0)

	if cs := e.Containers(dec); len(cs) != 0 {
		t.Fatalf("containers on a DECOMMISSIONING node: %v", cs)
	}
	if cs := e.Containers(zero); len(cs) != 0 {
		t.Fatalf("containers on a zero-capacity node: %v", cs)
	}
	v, _ := e.Node(a)
	if v.Used.MemoryMB > v.Total.MemoryMB || v.Used.VCores > v.Total.VCores {
		t.Fatalf("over-placed: %+v", v)
	}
	// Priority 9 goes first: its AM (1024) and both tasks (2x2048) fit; the rest of 8192 MB
	// takes the low app's AM and 2 tasks (1024+2x1024).
	byApp := map[string]int{}
	ams := 0
	for _, c := range e.Containers(a) {
		byApp[c.ApplicationID]++
		id, err := yarnclient.ParseContainerID(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id.IsAM() != c.AM {
			t.Fatalf("AM flag and seq disagree for %s", c.ID)
		}
		if c.AM {
			ams++
		}
	}
	if byApp[high] != 3 || byApp[low] != 3 || ams != 2 {
		t.Fatalf("placement %v (AMs %d)", byApp, ams)
	}

	// After 30 s the high-priority tasks finish, freeing room for more low-priority tasks.
	e.Tick(t0.Add(31 * time.Second))
	e.Tick(t0.Add(32 * time.Second))
	apps := map[string]rmemulator.AppView{}
	for _, ap := range e.Apps() {
		apps[ap.ID] = ap
	}
	if apps[high].State != "FINISHED" {
		t.Fatalf("high app %+v", apps[high])
	}
	if apps[low].RunningContainers != 8 { // AM + 7 tasks of 1024 in 8192
		t.Fatalf("low app %+v", apps[low])
	}
}

func TestKillContainerRequeuesTasksAndFailsAppOnAMKill(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{})
	n := register(t, e, "a", 4096, 4)
	app := e.SubmitApp(rmemulator.AppSpec{Containers: 4, Resource: rmemulator.Resource{MemoryMB: 1024, VCores: 1}})
	e.Tick(t0)
	cs := e.Containers(n)
	if len(cs) != 4 { // AM + 3 tasks
		t.Fatalf("%d containers", len(cs))
	}
	var task, am string
	for _, c := range cs {
		if c.AM {
			am = c.ID
		} else {
			task = c.ID
		}
	}
	h := httptest.NewServer(e.Handler())
	defer h.Close()
	req, _ := http.NewRequest(http.MethodDelete, h.URL+"/emulator/v1/containers/"+task, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("kill: %v %v", err, resp)
	}
	resp.Body.Close()
	if got := len(e.Containers(n)); got != 3 {
		t.Fatalf("after kill %d containers", got)
	}
	e.Tick(t0.Add(time.Second))
	if got := len(e.Containers(n)); got != 4 {
		t.Fatalf("killed task not re-placed: %d containers", got)
	}
	if err := e.KillContainer(am); err != nil {
		t.Fatal(err)
	}
	for _, a := range e.Apps() {
		if a.ID == app && a.State != "FAILED" {
			t.Fatalf("app after AM kill: %+v", a)
		}
	}
	if got := len(e.Containers(n)); got != 0 {
		t.Fatalf("containers of a failed app remain: %d", got)
	}
}

func TestHTTPContract(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{RMs: 2})
	register(t, e, "a", 4096, 4)
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(url string) (*http.Response, string) {
		resp, err := noFollow.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	active, standby := e.URLs()[0], e.URLs()[1]

	resp, body := get(active + "/ws/v1/cluster/nosuch")
	if resp.StatusCode != 404 || strings.Contains(body, "RemoteException") || !strings.Contains(body, "<html>") {
		t.Fatalf("unknown path: %d %s", resp.StatusCode, body)
	}
	resp, body = get(active + "/ws/v1/cluster/nodes/a")
	if resp.StatusCode != 400 || !strings.Contains(body, `"BadRequestException"`) {
		t.Fatalf("nodeId without port: %d %s", resp.StatusCode, body)
	}
	resp, body = get(active + "/ws/v1/cluster/nodes?states=running,Decommissioning")
	if resp.StatusCode != 200 || !strings.Contains(body, `"a:8041"`) {
		t.Fatalf("case-insensitive states: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(active + "/ws/v1/cluster/nodes?states=FLYING")
	if resp.StatusCode != 400 {
		t.Fatalf("invalid state: %d", resp.StatusCode)
	}
	resp, _ = get(standby + "/ws/v1/cluster/nodes/a:8041")
	if resp.StatusCode != 307 || resp.Header.Get("Location") != active+"/ws/v1/cluster/nodes/a:8041" {
		t.Fatalf("standby: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = get(standby + "/ws/v1/cluster/info")
	var info struct {
		ClusterInfo struct{ HAState string } `json:"clusterInfo"`
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &info) != nil || info.ClusterInfo.HAState != "STANDBY" {
		t.Fatalf("standby info: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(standby + "/isActive")
	if resp.StatusCode != 405 {
		t.Fatalf("standby /isActive: %d", resp.StatusCode)
	}

	// Emulator-only registration works on any RM.
	r, err := http.Post(standby+"/emulator/v1/nodes", "application/json",
		strings.NewReader(`{"host":"b","rpcPort":8041,"httpPort":8042,"capacity":{"memory":2048,"vCores":2}}`))
	if err != nil || r.StatusCode != 201 {
		t.Fatalf("register: %v %v", err, r)
	}
	r.Body.Close()
	if v, ok := e.Node("b:8041"); !ok || v.Total.MemoryMB != 2048 || v.HTTPPort != 8042 {
		t.Fatalf("registered node %+v", v)
	}
}

// TestOverCommitTimeoutZeroKillsAtTheNextHeartbeat: a timeout of 0 has expired at once, but
// the scheduler only kills when the node heartbeats (signalContainersIfOvercommitted), so the
// node stays over-committed until then.
func TestOverCommitTimeoutZeroKillsAtTheNextHeartbeat(t *testing.T) {
	e := rmemulator.New(rmemulator.Config{HeartbeatInterval: 500 * time.Millisecond})
	n := register(t, e, "a", 8192, 8)
	e.SubmitApp(rmemulator.AppSpec{Containers: 3, Resource: rmemulator.Resource{MemoryMB: 2048, VCores: 1}})
	e.Tick(t0)
	h := httptest.NewServer(e.Handler())
	defer h.Close()
	// overCommitTimeout omitted = 0: the scheduler kills what no longer fits.
	resp, err := http.Post(h.URL+"/ws/v1/cluster/nodes/"+n+"/resource", "application/json",
		strings.NewReader(`{"resource":{"memory":3072,"vCores":8}}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", err, resp)
	}
	resp.Body.Close()
	waitFor(t, func() bool { v, _ := e.Node(n); return v.Total.MemoryMB == 3072 })
	if v, _ := e.Node(n); v.Used.MemoryMB <= 3072 {
		t.Fatalf("used %+v already fits: containers were killed before the node's heartbeat", v.Used)
	}
	waitFor(t, func() bool { v, _ := e.Node(n); return v.Used.MemoryMB <= 3072 })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

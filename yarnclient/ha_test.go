package yarnclient_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func TestFailoverMidSequence(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{RMs: 3})
	reg := prometheus.NewRegistry()
	c := newClient(t, yarnclient.Options{RMs: e.URLs(), Registerer: reg})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.GetNode(ctx, nodeA); err != nil {
			t.Fatal(err)
		}
	}
	if c.ActiveRM() != e.URLs()[0] {
		t.Fatalf("sticky RM %q", c.ActiveRM())
	}
	if err := e.Failover(2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := c.ListNodes(ctx); err != nil {
			t.Fatalf("after failover: %v", err)
		}
	}
	if c.ActiveRM() != e.URLs()[2] {
		t.Fatalf("sticky RM %q, want RM 2", c.ActiveRM())
	}
	failovers, err := testutil.GatherAndCount(reg, "elastic_yarn_rmclient_failovers_total")
	if err != nil || failovers != 1 {
		t.Fatalf("failover metric series %d: %v", failovers, err)
	}
	if got := testutil.ToFloat64(mustCounter(t, reg)); got != 1 {
		t.Fatalf("failovers_total = %v, want 1", got)
	}
	// The standby answered once with 307 for the call that hit it.
	if e.Requests(http.MethodGet, "/ws/v1/cluster/nodes") != 4 {
		t.Fatalf("nodes requests %d, want 4 (one 307 + three served)", e.Requests(http.MethodGet, "/ws/v1/cluster/nodes"))
	}
}

// mustCounter fetches the failover counter through the registry (never the global one).
func mustCounter(t *testing.T, reg *prometheus.Registry) prometheus.Collector {
	t.Helper()
	return counterFrom{reg: reg, name: "elastic_yarn_rmclient_failovers_total"}
}

type counterFrom struct {
	reg  *prometheus.Registry
	name string
}

func (c counterFrom) Describe(ch chan<- *prometheus.Desc) {}
func (c counterFrom) Collect(ch chan<- prometheus.Metric) {
	mfs, _ := c.reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == c.name {
			for _, m := range mf.GetMetric() {
				ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(c.name, "", nil, nil), prometheus.CounterValue, m.GetCounter().GetValue())
			}
		}
	}
}

func TestNoActiveRM(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{RMs: 2})
	if err := e.Failover(-1); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Run("discovery finds only standbys", func(t *testing.T) {
		c := newClient(t, yarnclient.Options{RMs: e.URLs()})
		_, err := c.ListNodes(ctx)
		mustKind(t, err, yarnclient.ErrStandby)
	})
	t.Run("a standby answers 307 with Refresh only", func(t *testing.T) {
		c := newClient(t, yarnclient.Options{RMs: e.URLs()[:1]})
		_, err := c.GetNode(ctx, nodeA)
		mustKind(t, err, yarnclient.ErrStandby)
		if !strings.Contains(err.Error(), "Refresh") {
			t.Fatalf("error should say there is no active RM: %v", err)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(e.URL() + "/ws/v1/cluster/nodes")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 307 || resp.Header.Get("Location") != "" || resp.Header.Get("Refresh") == "" {
			t.Fatalf("standby without active: %d Location=%q Refresh=%q", resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Refresh"))
		}
	})
	t.Run("cluster info is not redirected", func(t *testing.T) {
		c := newClient(t, yarnclient.Options{RMs: e.URLs()[:1]})
		info, err := c.ClusterInfo(ctx)
		if err != nil || info.HAState != "STANDBY" {
			t.Fatalf("%v %+v", err, info)
		}
	})
}

func TestStandbyRedirectIsNotFollowed(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{RMs: 2})
	if err := e.Failover(1); err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(e.URLs()[0] + "/ws/v1/cluster/nodes?states=RUNNING")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := e.URLs()[1] + "/ws/v1/cluster/nodes?states=RUNNING"; resp.StatusCode != 307 || resp.Header.Get("Location") != want {
		t.Fatalf("standby: %d Location %q, want 307 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	// A single-URL client pointed at the standby reports it instead of following.
	c := newClient(t, yarnclient.Options{RMs: e.URLs()[:1]})
	_, err = c.ListNodes(context.Background())
	mustKind(t, err, yarnclient.ErrStandby)
	if n := e.Requests(http.MethodGet, "/ws/v1/cluster/nodes"); n != 1+3 { // our probe + 3 tries (1 + MaxFailovers 2)
		t.Logf("standby saw %d requests", n)
	}
}

func TestConnectionRefusedFailsOver(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	c := newClient(t, yarnclient.Options{RMs: []string{dead, e.URL()}})
	if _, err := c.SetNodeResource(context.Background(), nodeA, yarnclient.Resource{MemoryMB: 8192, VCores: 4}); err != nil {
		t.Fatalf("POST should reach the live RM: %v", err)
	}
	if c.ActiveRM() != e.URL() {
		t.Fatalf("active %q", c.ActiveRM())
	}
	only := newClient(t, yarnclient.Options{RMs: []string{dead}, MaxAttempts: 2})
	_, err = only.ListNodes(context.Background())
	mustKind(t, err, yarnclient.ErrUnavailable)
}

func TestSlowRMTimesOut(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	e.SetDelay(0, 600*time.Millisecond)
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, Timeout: 100 * time.Millisecond, MaxAttempts: 2})
	_, err := c.GetNode(context.Background(), nodeA)
	mustKind(t, err, yarnclient.ErrUnavailable)
	if !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("want a timeout: %v", err)
	}
	// A POST that timed out may have been applied: it is not repeated.
	_, err = c.SetNodeResource(context.Background(), nodeA, yarnclient.Resource{MemoryMB: 1024, VCores: 1})
	mustKind(t, err, yarnclient.ErrUnavailable)
	time.Sleep(50 * time.Millisecond)
	if n := e.Requests(http.MethodPost, "/ws/v1/cluster/nodes/"+nodeA+"/resource"); n != 1 {
		t.Fatalf("timed-out POST sent %d times, want 1", n)
	}
}

func TestServerErrorsRetriedOnlyForIdempotentCalls(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, MaxAttempts: 3})
	ctx := context.Background()

	e.FailNext(http.MethodGet, "/ws/v1/cluster/nodes", 500, 2)
	if _, err := c.ListNodes(ctx); err != nil {
		t.Fatalf("GET should succeed on the third try: %v", err)
	}
	if n := e.Requests(http.MethodGet, "/ws/v1/cluster/nodes"); n != 3 {
		t.Fatalf("GET sent %d times, want 3", n)
	}
	e.FailNext(http.MethodGet, "/ws/v1/cluster/apps", 503, 5)
	_, err := c.ListApps(ctx)
	mustKind(t, err, yarnclient.ErrServer)
	if n := e.Requests(http.MethodGet, "/ws/v1/cluster/apps"); n != 3 {
		t.Fatalf("GET sent %d times, want MaxAttempts=3", n)
	}

	path := "/ws/v1/cluster/nodes/" + nodeA + "/resource"
	e.FailNext(http.MethodPost, path, 500, 1)
	_, err = c.SetNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 8192, VCores: 4})
	mustKind(t, err, yarnclient.ErrServer)
	if n := e.Requests(http.MethodPost, path); n != 1 {
		t.Fatalf("POST sent %d times, want exactly 1", n)
	}
}

package promquery

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatedQuerier passes queries to a real Prometheus and records how many were in flight at
// once. With waitFor > 0 every query first waits (up to a deadline) until waitFor queries are
// in flight together: a Fetch that sends one query after another never gets there.
type gatedQuerier struct {
	api     Querier
	waitFor int
	fail    string // a query containing this answers with an error

	mu       sync.Mutex
	cond     *sync.Cond
	inFlight int
	peak     int
	sent     int
	timedOut bool
}

func newGated(api Querier, waitFor int) *gatedQuerier {
	g := &gatedQuerier{api: api, waitFor: waitFor}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gatedQuerier) Query(ctx context.Context, query string, ts time.Time) ([]nodeSample, []string, error) {
	g.mu.Lock()
	g.inFlight++
	g.sent++
	g.peak = max(g.peak, g.inFlight)
	g.cond.Broadcast()
	deadline := time.Now().Add(5 * time.Second)
	for g.waitFor > 0 && g.peak < g.waitFor && time.Now().Before(deadline) {
		// sync.Cond has no timed wait: a timer broadcasts at the deadline.
		t := time.AfterFunc(time.Until(deadline), func() { g.mu.Lock(); g.cond.Broadcast(); g.mu.Unlock() })
		g.cond.Wait()
		t.Stop()
	}
	if g.waitFor > 0 && g.peak < g.waitFor {
		g.timedOut = true
	}
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
	if g.fail != "" && strings.Contains(query, g.fail) {
		return nil, nil, errors.New("query rejected by the test")
	}
	return g.api.Query(ctx, query, ts)
}

func TestFetchSendsQueriesConcurrently(t *testing.T) {
	real := startFixture(t)
	ctx := context.Background()

	t.Run("a chunk's 7 queries are in flight together and give the sequential figures", func(t *testing.T) {
		want, err := real.Fetch(ctx, baseRequest("n1", "n2", "collapse"))
		if err != nil {
			t.Fatal(err)
		}
		gate := newGated(real.API, 7)
		got, err := (&Source{API: gate}).Fetch(ctx, baseRequest("n1", "n2", "collapse"))
		if err != nil {
			t.Fatal(err)
		}
		if gate.timedOut || gate.peak != 7 {
			t.Fatalf("peak %d queries in flight (timed out: %v), want all 7 at once", gate.peak, gate.timedOut)
		}
		for node, w := range want.Nodes {
			if g := got.Nodes[node]; *g != *w {
				t.Errorf("%s: concurrent %+v, sequential-era fixture %+v", node, *g, *w)
			}
		}
		if got.Queries != 7 {
			t.Errorf("queries %d, want 7", got.Queries)
		}
	})

	t.Run("never more than MaxConcurrentQueries in flight", func(t *testing.T) {
		var nodes []string
		for i := 1; i <= manyNodes; i++ {
			nodes = append(nodes, manyNodeName(i))
		}
		gate := newGated(real.API, MaxConcurrentQueries)
		res, err := (&Source{API: gate, MaxNodesPerQuery: 64}).Fetch(ctx, baseRequest(nodes...))
		if err != nil {
			t.Fatal(err)
		}
		if gate.peak != MaxConcurrentQueries || gate.timedOut {
			t.Errorf("peak %d in flight (timed out: %v), want exactly the bound %d", gate.peak, gate.timedOut, MaxConcurrentQueries)
		}
		if res.Queries != 28 || gate.sent != 28 {
			t.Errorf("queries counted %d, sent %d, want 28", res.Queries, gate.sent)
		}
		for i := 1; i <= manyNodes; i++ {
			if n := res.Nodes[manyNodeName(i)]; !near(n.CPUCores.Mean, float64(i+2)) {
				t.Fatalf("%s: cpu mean %v, want %d", manyNodeName(i), n.CPUCores.Mean, i+2)
			}
		}
	})

	t.Run("one failed query fails the fetch and is named; the others are still sent", func(t *testing.T) {
		gate := newGated(real.API, 0)
		gate.fail = "timestamp("
		res, err := (&Source{API: gate}).Fetch(ctx, baseRequest("n1"))
		if err == nil || !strings.Contains(err.Error(), "newest sample") {
			t.Fatalf("err %v, want the newest-sample query's failure", err)
		}
		if res == nil || res.Queries != 7 || gate.sent != 7 {
			t.Fatalf("result %+v, sent %d: want every query sent and counted", res, gate.sent)
		}
	})
}

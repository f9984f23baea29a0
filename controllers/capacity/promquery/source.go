package promquery

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	promapi "github.com/prometheus/client_golang/api"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// DefaultMaxNodesPerQuery bounds the node regexp of one query (see the package comment).
const DefaultMaxNodesPerQuery = 10000

// Querier runs one instant query and returns its samples as node (the "node" label) and
// value, with Prometheus' warnings. An answer that is not an instant vector is an error naming
// its type (notVectorError); other errors are the HTTP API's (*promv1.Error) or the transport's.
// New's vectorAPI asks a real Prometheus.
type Querier interface {
	Query(ctx context.Context, query string, ts time.Time) ([]nodeSample, []string, error)
}

// Source fetches window statistics for many nodes with a fixed number of queries.
type Source struct {
	API Querier
	// MaxNodesPerQuery splits huge pools into chunks; 0 means DefaultMaxNodesPerQuery.
	MaxNodesPerQuery int

	queries atomic.Int64
}

// New connects to the Prometheus at address (e.g. http://prometheus.monitoring:9090).
// roundTripper may be nil (client_golang's default).
func New(address string, roundTripper http.RoundTripper) (*Source, error) {
	c, err := promapi.NewClient(promapi.Config{Address: address, RoundTripper: roundTripper})
	if err != nil {
		return nil, fmt.Errorf("prometheus client for %s: %w", address, err)
	}
	return &Source{API: vectorAPI{client: c}}, nil
}

// Queries is how many PromQL queries this source has sent in total.
func (s *Source) Queries() int64 { return s.queries.Load() }

// Request is one cycle's fetch for a pool.
type Request struct {
	Nodes []string
	// At is the evaluation time (the controller's clock; tests pass the backfilled time).
	At     time.Time
	Window time.Duration
	// CPUMetric is the koordlet series for batch CPU.
	CPUMetric v1alpha1.BatchCPUMetric
	// Statistics to compute for CPU and memory; CPU stddev is always reported.
	Statistics      []v1alpha1.Statistic
	QuantilePercent int
	// FreshnessLookback is how far back the newest sample is searched (use at least
	// shrinkToFloorAfter, so an outage that long still yields an age).
	FreshnessLookback time.Duration
	// SafetySustained is the node-safety shedAfter; 0 skips the two node-usage queries.
	SafetySustained time.Duration
}

// NodeResult is what Prometheus says about one node. Absent samples leave the Present flags
// false and NewestSample zero; the policy then treats the node as stale.
type NodeResult struct {
	CPUPresent    bool
	CPUCores      policy.Stats
	MemoryPresent bool
	MemoryBytes   policy.Stats
	NewestSample  time.Time
	// RecentCPUPresent and RecentCPUCores: batch CPU over RecentWindow, for the CPU-eviction guard.
	RecentCPUPresent bool
	RecentCPUCores   float64
	UsageKnown       bool
	UsedCPURecent    float64
	// UsedCPUSustainedMin is min_over_time of the node's CPU use over SafetySustained.
	UsedCPUSustainedMin float64
	// Err reports malformed values (NaN, Inf, negative); the node must not get a capacity.
	Err error
}

// Metrics converts the result into policy input. With Err set no figure is passed on, only
// the age of the newest sample: the node is stale (held, then floored), never sized on a
// malformed value.
func (r NodeResult) Metrics() policy.Metrics {
	if r.Err != nil {
		return policy.Metrics{NewestSample: r.NewestSample}
	}
	return policy.Metrics{CPUPresent: r.CPUPresent, CPUCores: r.CPUCores, MemoryPresent: r.MemoryPresent,
		MemoryBytes: r.MemoryBytes, NewestSample: r.NewestSample,
		RecentCPUPresent: r.RecentCPUPresent, RecentCPUCores: r.RecentCPUCores}
}

// Result of one fetch.
type Result struct {
	Nodes map[string]*NodeResult
	// Queries sent for this fetch.
	Queries int
	// Warnings from Prometheus, if any.
	Warnings []string
}

// MaxConcurrentQueries bounds the queries one Fetch has in flight. A chunk with one statistic
// and node safety costs 7 queries, so they all run at once and a cycle costs about its
// slowest query; with more statistics or chunks the rest wait for a slot. Prometheus runs at
// most --query.max-concurrency queries at once (default 20) and queues the others, so one
// pool never takes more than 8 of them and leaves room for other pools and dashboards.
const MaxConcurrentQueries = 8

// plannedQuery is one instant query of a fetch and what its values set on a node.
type plannedQuery struct {
	query string
	what  string
	set   func(*NodeResult, float64)
}

// answer is what Prometheus said to one planned query: its samples as node and value, or
// the type of a value that is not a vector.
type answer struct {
	samples  []nodeSample
	notA     string
	warnings []string
	err      error
}

// nodeSample is one sample of an answer: the answers of a cycle are held until all have
// come, so a sample keeps only what apply reads (vectorAPI decodes straight into it).
type nodeSample struct {
	node  string
	value float64
}

// Fetch runs the cycle's queries, up to MaxConcurrentQueries at a time. Answers are applied
// in the order the queries were planned, so a result never depends on which answer came
// first. A failed query fails the whole fetch (the caller then treats every node as stale)
// and the first failure in plan order is reported; a malformed value only fails its node.
func (s *Source) Fetch(ctx context.Context, req Request) (*Result, error) {
	res := &Result{Nodes: make(map[string]*NodeResult, len(req.Nodes))}
	for _, n := range req.Nodes {
		res.Nodes[n] = &NodeResult{}
	}
	nodes := slices.Clone(req.Nodes)
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	chunk := s.MaxNodesPerQuery
	if chunk <= 0 {
		chunk = DefaultMaxNodesPerQuery
	}
	var plan []plannedQuery
	for start := 0; start < len(nodes); start += chunk {
		plan = append(plan, chunkQueries(req, nodes[start:min(start+chunk, len(nodes))])...)
	}
	answers := s.send(ctx, req.At, plan)
	res.Queries = len(plan)
	for i, q := range plan {
		if err := apply(q, answers[i], res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// chunkQueries plans the queries for one chunk of nodes (see the package comment).
func chunkQueries(req Request, nodes []string) []plannedQuery {
	matcher := nodeMatcher(nodes)
	cpuSel, cpuAgg, cpuScale := cpuSelector(req.CPUMetric, matcher)
	memSel := memorySelector(matcher)
	stats := req.Statistics
	if len(stats) == 0 {
		stats = []v1alpha1.Statistic{v1alpha1.StatisticMean}
	}
	var plan []plannedQuery
	for _, apiStat := range stats {
		st := fromAPIStatistic(apiStat, req.QuantilePercent)
		plan = append(plan,
			plannedQuery{windowQuery(st, cpuAgg, cpuSel, req.Window), "batch cpu " + st.name,
				func(r *NodeResult, v float64) { r.CPUPresent = true; setStat(&r.CPUCores, st, v*cpuScale) }},
			plannedQuery{windowQuery(st, "max", memSel, req.Window), "batch memory " + st.name,
				func(r *NodeResult, v float64) { r.MemoryPresent = true; setStat(&r.MemoryBytes, st, v) }})
	}
	lookback := max(req.FreshnessLookback, req.Window)
	plan = append(plan,
		plannedQuery{windowQuery(statStdDev, cpuAgg, cpuSel, req.Window), "batch cpu stddev",
			func(r *NodeResult, v float64) { r.CPUCores.StdDev = v * cpuScale }},
		plannedQuery{windowQuery(statMean, cpuAgg, cpuSel, RecentWindow), "batch cpu recent",
			func(r *NodeResult, v float64) { r.RecentCPUPresent = true; r.RecentCPUCores = v * cpuScale }},
		plannedQuery{freshnessQuery(cpuSel, lookback), "newest sample",
			func(r *NodeResult, v float64) { r.NewestSample = time.UnixMilli(int64(math.Round(v * 1000))) }})
	if req.SafetySustained <= 0 {
		return plan
	}
	used := usedCPUSelector(matcher)
	return append(plan,
		plannedQuery{windowQuery(statMean, "max", used, defaultSafetyRecentSpan), "node cpu used",
			func(r *NodeResult, v float64) { r.UsageKnown = true; r.UsedCPURecent = v }},
		plannedQuery{windowQuery(statMin, "max", used, req.SafetySustained), "node cpu used sustained",
			func(r *NodeResult, v float64) { r.UsedCPUSustainedMin = v }})
}

// send runs every planned query, at most MaxConcurrentQueries at once, and returns the
// answers in plan order. Every query is sent even when another fails: each has its own
// answer, and the caller decides what a failure means.
func (s *Source) send(ctx context.Context, at time.Time, plan []plannedQuery) []answer {
	answers := make([]answer, len(plan))
	slots := make(chan struct{}, MaxConcurrentQueries)
	var wg sync.WaitGroup
	for i, q := range plan {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			s.queries.Add(1)
			samples, warnings, err := s.API.Query(ctx, q.query, at)
			var notVector *notVectorError
			switch {
			case errors.As(err, &notVector):
				answers[i] = answer{notA: notVector.resultType, warnings: warnings}
			case err != nil:
				answers[i] = answer{err: err}
			default:
				answers[i] = answer{samples: samples, warnings: warnings}
			}
		}()
	}
	wg.Wait()
	return answers
}

// apply hands every node's value of one answer to its query's set. Values for nodes not
// asked about are ignored; malformed ones mark their node.
func apply(q plannedQuery, a answer, res *Result) error {
	if a.err != nil {
		return fmt.Errorf("prometheus query for %s: %w", q.what, a.err)
	}
	res.Warnings = append(res.Warnings, a.warnings...)
	if a.notA != "" {
		return fmt.Errorf("prometheus query for %s: got %s, want a vector", q.what, a.notA)
	}
	for _, sample := range a.samples {
		node := sample.node
		r, ok := res.Nodes[node]
		if !ok {
			continue
		}
		v := sample.value
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			if r.Err == nil {
				r.Err = fmt.Errorf("node %s: %s is %v, not a usable figure", node, q.what, v)
			}
			continue
		}
		q.set(r, v)
	}
	return nil
}

func setStat(st *policy.Stats, which statistic, v float64) {
	switch which.name {
	case "mean":
		st.Mean = v
	case "min":
		st.Min = v
	case "max":
		st.Max = v
	case "quantile":
		st.Quantile = v
	case "stddev":
		st.StdDev = v
	}
}

package metrics

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	promapi "github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// DefaultMaxNodesPerQuery bounds the node regexp of one query (see the package comment).
const DefaultMaxNodesPerQuery = 10000

// Querier is the part of the Prometheus HTTP API this package uses; promv1.API satisfies it.
type Querier interface {
	Query(ctx context.Context, query string, ts time.Time, opts ...promv1.Option) (model.Value, promv1.Warnings, error)
}

// Source fetches window statistics for many nodes with a fixed number of queries.
type Source struct {
	API Querier
	// MaxNodesPerQuery splits huge pools into chunks; 0 means DefaultMaxNodesPerQuery.
	MaxNodesPerQuery int
	// QueryTimeout bounds one query on the Prometheus side; 0 leaves Prometheus' default.
	QueryTimeout time.Duration

	queries atomic.Int64
}

// New connects to the Prometheus at address (e.g. http://prometheus.monitoring:9090).
// roundTripper may be nil (client_golang's default).
func New(address string, roundTripper http.RoundTripper) (*Source, error) {
	c, err := promapi.NewClient(promapi.Config{Address: address, RoundTripper: roundTripper})
	if err != nil {
		return nil, fmt.Errorf("prometheus client for %s: %w", address, err)
	}
	return &Source{API: promv1.NewAPI(c)}, nil
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

// Fetch runs the cycle's queries. A failed query fails the whole fetch (the caller then
// treats every node as stale); a malformed value only fails its node.
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
	for start := 0; start < len(nodes); start += chunk {
		if err := s.fetchChunk(ctx, req, nodes[start:min(start+chunk, len(nodes))], res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (s *Source) fetchChunk(ctx context.Context, req Request, nodes []string, res *Result) error {
	matcher := nodeMatcher(nodes)
	cpuSel, cpuAgg, cpuScale := cpuSelector(req.CPUMetric, matcher)
	memSel := memorySelector(matcher)
	stats := req.Statistics
	if len(stats) == 0 {
		stats = []v1alpha1.Statistic{v1alpha1.StatisticMean}
	}
	for _, apiStat := range stats {
		st := fromAPIStatistic(apiStat, req.QuantilePercent)
		if err := s.each(ctx, req.At, windowQuery(st, cpuAgg, cpuSel, req.Window), res, "batch cpu "+st.name,
			func(r *NodeResult, v float64) { r.CPUPresent = true; setStat(&r.CPUCores, st, v*cpuScale) }); err != nil {
			return err
		}
		if err := s.each(ctx, req.At, windowQuery(st, "max", memSel, req.Window), res, "batch memory "+st.name,
			func(r *NodeResult, v float64) { r.MemoryPresent = true; setStat(&r.MemoryBytes, st, v) }); err != nil {
			return err
		}
	}
	if err := s.each(ctx, req.At, windowQuery(statStdDev, cpuAgg, cpuSel, req.Window), res, "batch cpu stddev",
		func(r *NodeResult, v float64) { r.CPUCores.StdDev = v * cpuScale }); err != nil {
		return err
	}
	if err := s.each(ctx, req.At, windowQuery(statMean, cpuAgg, cpuSel, RecentWindow), res, "batch cpu recent",
		func(r *NodeResult, v float64) { r.RecentCPUPresent = true; r.RecentCPUCores = v * cpuScale }); err != nil {
		return err
	}
	lookback := max(req.FreshnessLookback, req.Window)
	if err := s.each(ctx, req.At, freshnessQuery(cpuSel, lookback), res, "newest sample",
		func(r *NodeResult, v float64) { r.NewestSample = time.UnixMilli(int64(math.Round(v * 1000))) }); err != nil {
		return err
	}
	if req.SafetySustained <= 0 {
		return nil
	}
	used := usedCPUSelector(matcher)
	if err := s.each(ctx, req.At, windowQuery(statMean, "max", used, defaultSafetyRecentSpan), res, "node cpu used",
		func(r *NodeResult, v float64) { r.UsageKnown = true; r.UsedCPURecent = v }); err != nil {
		return err
	}
	return s.each(ctx, req.At, windowQuery(statMin, "max", used, req.SafetySustained), res, "node cpu used sustained",
		func(r *NodeResult, v float64) { r.UsedCPUSustainedMin = v })
}

// each runs one instant query and hands every node's value to set. Values for nodes not
// asked about are ignored; malformed ones mark their node.
func (s *Source) each(ctx context.Context, at time.Time, query string, res *Result, what string, set func(*NodeResult, float64)) error {
	var opts []promv1.Option
	if s.QueryTimeout > 0 {
		opts = append(opts, promv1.WithTimeout(s.QueryTimeout))
	}
	s.queries.Add(1)
	res.Queries++
	value, warnings, err := s.API.Query(ctx, query, at, opts...)
	if err != nil {
		return fmt.Errorf("prometheus query for %s: %w", what, err)
	}
	res.Warnings = append(res.Warnings, warnings...)
	vector, ok := value.(model.Vector)
	if !ok {
		return fmt.Errorf("prometheus query for %s: got %s, want a vector", what, value.Type())
	}
	for _, sample := range vector {
		node := string(sample.Metric["node"])
		r, ok := res.Nodes[node]
		if !ok {
			continue
		}
		v := float64(sample.Value)
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			if r.Err == nil {
				r.Err = fmt.Errorf("node %s: %s is %v, not a usable figure", node, what, v)
			}
			continue
		}
		set(r, v)
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

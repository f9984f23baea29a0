package safetynet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-logr/logr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// Target is the part of the worker the net drives.
type Target interface {
	CurrentTarget() (worker.Target, bool)
	Containers() []worker.ContainerView
	SetTarget(ctx context.Context, t worker.Target) (worker.PlanReport, error)
}

// Runner polls koordlet and lowers the worker's target when Decide says so. It never raises a
// target: only the operator does that.
type Runner struct {
	KoordletURL       string
	Node              string
	BERequestCPUCores float64
	ProcRoot          string
	Interval          time.Duration
	Thresholds        Thresholds
	Worker            Target
	HTTP              *http.Client
	Log               logr.Logger
	// Reporter, if set, gets every rule's status each round (metrics).
	Reporter RuleReporter

	lastStatus string
}

// RuleReporter publishes whether each rule can act and which koordlet metrics it misses.
type RuleReporter interface {
	SafetyNetRule(rule string, active bool, missing []string)
}

// Run loops until ctx ends. Errors are logged and lead to no action.
func (r *Runner) Run(ctx context.Context) error {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		if err := r.Once(ctx); err != nil {
			r.Log.Info("safety net skipped a round", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Once runs one round.
func (r *Runner) Once(ctx context.Context) error {
	obs, err := r.scrape(ctx)
	if err != nil {
		return err
	}
	memTotal, err := memTotalBytes(r.ProcRoot)
	if err != nil {
		return err
	}
	var vcores, memMB int64
	for _, c := range r.Worker.Containers() {
		if !c.State.Leaving() {
			vcores += c.VCores
			memMB += c.MemoryMB
		}
	}
	in := Inputs{Obs: obs, BERequestCPUCores: r.BERequestCPUCores, NodeMemoryBytes: memTotal,
		YarnVCores: vcores, YarnMemoryMB: memMB}
	r.report(Rules(in, r.Thresholds))
	d := Decide(in, r.Thresholds)
	if !d.Shed {
		return nil
	}
	next := worker.Target{VCores: d.VCores, MemoryMB: d.MemoryMB, Reason: d.Reason, SetAt: time.Now()}
	if cur, ok := r.Worker.CurrentTarget(); ok {
		// Keep the operator's target where nothing is at risk, the tighter value where
		// something is, and the operator's deadline and priorities.
		next.VCores, next.MemoryMB = cur.VCores, cur.MemoryMB
		if d.ShedCPU {
			next.VCores = min(d.VCores, cur.VCores)
		}
		if d.ShedMemory {
			next.MemoryMB = min(d.MemoryMB, cur.MemoryMB)
		}
		next.Deadline, next.AppPriorities = cur.Deadline, cur.AppPriorities
		if next.VCores == cur.VCores && next.MemoryMB == cur.MemoryMB {
			return nil
		}
	}
	r.Log.Info("safety net lowers the target", "vcores", next.VCores, "memoryMB", next.MemoryMB, "reason", d.Reason)
	_, err = r.Worker.SetTarget(ctx, next)
	return err
}

// report publishes the rules' status and logs when it changes, so a koordlet without a
// needed metric is visible rather than a net that silently never acts.
func (r *Runner) report(rules []RuleStatus) {
	var b strings.Builder
	for _, rs := range rules {
		if r.Reporter != nil {
			r.Reporter.SafetyNetRule(rs.Rule, rs.Active, rs.Missing)
		}
		fmt.Fprintf(&b, "%s=%t:%s;", rs.Rule, rs.Active, rs.Reason)
	}
	if status := b.String(); status != r.lastStatus {
		r.lastStatus = status
		for _, rs := range rules {
			if rs.Active {
				r.Log.Info("safety net rule active", "rule", rs.Rule)
			} else {
				r.Log.Info("safety net rule inactive", "rule", rs.Rule, "reason", rs.Reason, "missingMetrics", rs.Missing)
			}
		}
	}
}

func (r *Runner) scrape(ctx context.Context) (Observation, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.KoordletURL, nil)
	if err != nil {
		return Observation{}, err
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	client := r.HTTP
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Observation{}, fmt.Errorf("scrape koordlet: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Observation{}, fmt.Errorf("scrape koordlet: HTTP %d", resp.StatusCode)
	}
	return Parse(io.LimitReader(resp.Body, 16<<20), r.Node)
}

// memTotalBytes reads MemTotal from <procRoot>/meminfo.
func memTotalBytes(procRoot string) (float64, error) {
	f, err := os.Open(filepath.Join(procRoot, "meminfo"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0, fmt.Errorf("meminfo MemTotal: %w", err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("meminfo: no MemTotal")
}

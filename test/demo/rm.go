package demo

import (
	"context"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// Workload shapes: Spark executors handle SIGPWR (graceful decommission); MapReduce tasks do
// not, so shedding them loses their work.
var (
	sparkApp = rmemulator.AppSpec{Name: "spark-etl", Type: "SPARK", Containers: 12,
		Resource: rmemulator.Resource{MemoryMB: 4096, VCores: 1}, AMResource: rmemulator.Resource{MemoryMB: 2048, VCores: 1},
		Duration: 45 * time.Second}
	mapReduceApp = rmemulator.AppSpec{Name: "mr-report", Type: "MAPREDUCE", Containers: 10,
		Resource: rmemulator.Resource{MemoryMB: 2048, VCores: 1}, AMResource: rmemulator.Resource{MemoryMB: 1536, VCores: 1},
		Duration: 25 * time.Second}
)

const (
	sparkBacklog     = 30
	mapReduceBacklog = 15
)

// startRM starts the RM emulator on a free loopback port with a backlogged Spark workload,
// ticking in real time, and keeps a MapReduce backlog beside it.
func startRM(ctx context.Context) (*rmemulator.Emulator, error) {
	e := rmemulator.New(rmemulator.Config{ResizeDelay: 200 * time.Millisecond,
		Workload: &rmemulator.WorkloadConfig{Backlog: sparkBacklog, App: sparkApp, Priorities: []int{0, 5, 10}}})
	if err := e.Start(); err != nil {
		return nil, err
	}
	go e.RunWorkload(ctx, time.Second)
	go keepBacklog(ctx, e, mapReduceApp, mapReduceBacklog, 2*time.Second)
	return e, nil
}

// keepBacklog submits spec until n applications of its type are unfinished, every interval.
func keepBacklog(ctx context.Context, e *rmemulator.Emulator, spec rmemulator.AppSpec, n int, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		unfinished := 0
		for _, a := range e.Apps() {
			if a.Type == spec.Type && (a.State == "ACCEPTED" || a.State == "RUNNING") {
				unfinished++
			}
		}
		for ; unfinished < n; unfinished++ {
			e.SubmitApp(spec)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

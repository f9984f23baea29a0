package scale

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// counters is one reading of everything a cycle costs, from the side that serves it where
// possible: Prometheus counts the queries it answered, the RM emulator the writes it took.
type counters struct {
	at time.Time
	// cycles is controller_runtime_reconcile_total of the capacity controller; cycleSeconds
	// the time those reconciles took (controller_runtime_reconcile_time_seconds' sum).
	cycles, cycleSeconds float64
	// promQueries is prometheus_http_requests_total{handler="/api/v1/query"}; promSeconds
	// the time Prometheus spent answering them (its request-duration histogram's sum).
	promQueries, promSeconds float64
	// rmWrites are node resource POSTs; rmLists node listings (GET /ws/v1/cluster/nodes).
	rmWrites, rmLists int
	// apiRequests is rest_client_requests_total of the operator (every apiserver call it made).
	apiRequests float64
	// guarderCalls are targets the guarders received.
	guarderCalls int64
	// sources breaks the operator's work down by who did it: reconciles per controller
	// ("reconciles <controller>") and apiserver requests per verb and answer ("requests <method>
	// <code>"). It explains a count of the table; it is logged, not tabulated.
	sources map[string]float64
}

// delta is b - a.
func (b counters) delta(a counters) counters {
	out := counters{at: b.at, cycles: b.cycles - a.cycles, cycleSeconds: b.cycleSeconds - a.cycleSeconds, promQueries: b.promQueries - a.promQueries, promSeconds: b.promSeconds - a.promSeconds,
		rmWrites: b.rmWrites - a.rmWrites, rmLists: b.rmLists - a.rmLists,
		apiRequests: b.apiRequests - a.apiRequests, guarderCalls: b.guarderCalls - a.guarderCalls,
		sources: map[string]float64{}}
	for k, v := range b.sources {
		if d := v - a.sources[k]; d != 0 {
			out.sources[k] = d
		}
	}
	return out
}

// reader takes counter readings of one run.
type reader struct {
	operatorMetrics, prometheusMetrics string
	rm                                 *rmemulator.Emulator
	guarders                           *guarderstandin.Server
}

func (r *reader) read() (counters, error) {
	op, err := scrape(r.operatorMetrics)
	if err != nil {
		return counters{}, fmt.Errorf("operator metrics: %w", err)
	}
	prom, err := scrape(r.prometheusMetrics)
	if err != nil {
		return counters{}, fmt.Errorf("prometheus metrics: %w", err)
	}
	return counters{
		at:           time.Now(),
		cycles:       sum(op["controller_runtime_reconcile_total"], map[string]string{"controller": "capacity"}),
		cycleSeconds: sum(op["controller_runtime_reconcile_time_seconds"], map[string]string{"controller": "capacity"}),
		promQueries:  sum(prom["prometheus_http_requests_total"], map[string]string{"handler": "/api/v1/query"}),
		promSeconds:  sum(prom["prometheus_http_request_duration_seconds"], map[string]string{"handler": "/api/v1/query"}),
		rmWrites:     r.rm.RequestsUnder(http.MethodPost, "/ws/v1/cluster/nodes/"),
		rmLists:      r.rm.Requests(http.MethodGet, "/ws/v1/cluster/nodes"),
		apiRequests:  sum(op["rest_client_requests_total"], nil),
		guarderCalls: r.guarders.Calls(),
		sources:      sources(op),
	}, nil
}

// sources reads the operator's reconciles per controller and apiserver requests per method
// and code (see counters.sources).
func sources(op map[string]*dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	add := func(family, prefix string, labels ...string) {
		for _, m := range op[family].GetMetric() {
			key := prefix
			for _, want := range labels {
				for _, l := range m.GetLabel() {
					if l.GetName() == want {
						key += " " + l.GetValue()
					}
				}
			}
			out[key] += m.GetCounter().GetValue()
		}
	}
	add("controller_runtime_reconcile_total", "reconciles", "controller", "result")
	add("rest_client_requests_total", "requests", "method", "code")
	return out
}

// scrape reads a Prometheus text exposition.
func scrape(url string) (map[string]*dto.MetricFamily, error) {
	resp, err := http.Get(url) //nolint:gosec // loopback URL of the run
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(io.LimitReader(resp.Body, 64<<20))
}

// sum adds the counter, gauge or histogram-sum values of the family's series whose labels include match.
func sum(f *dto.MetricFamily, match map[string]string) float64 {
	if f == nil {
		return 0
	}
	var total float64
series:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range match {
			if labels[k] != v {
				continue series
			}
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Untyped != nil:
			total += m.Untyped.GetValue()
		case m.Histogram != nil:
			total += m.Histogram.GetSampleSum()
		}
	}
	return total
}

// memory is a process's resident set from /proc: peak (VmHWM) and now (VmRSS), in bytes.
type memory struct{ peak, now int64 }

func readMemory(pid int) (memory, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for _, line := range strings.Split(string(raw), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok || (key != "VmHWM" && key != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("/proc/%d/status %s: %w", pid, key, err)
		}
		if key == "VmHWM" {
			m.peak = kb << 10
		} else {
			m.now = kb << 10
		}
	}
	if m.peak == 0 {
		return memory{}, fmt.Errorf("/proc/%d/status has no VmHWM", pid)
	}
	return m, nil
}

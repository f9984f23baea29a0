package capacity

import (
	"errors"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
)

// TestDecideIsPureAndReportsTransitionsOnce: the decide step returns the Events of the
// cycle's transitions (MetricsFresh turning False, an unowned pod seen for the first time)
// and what to remember, and changes neither the gathered data nor the pool's memory.
func TestDecideIsPureAndReportsTransitionsOnce(t *testing.T) {
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	stranger := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "stranger", UID: "u-stranger"}}
	staleSince := metav1.Condition{Type: v1alpha1.ConditionMetricsFresh, Status: metav1.ConditionFalse,
		Reason: ReasonPrometheusUnavailable, LastTransitionTime: metav1.NewTime(now.Add(-time.Hour))}
	outage := errors.New("prometheus down")
	cases := []struct {
		name       string
		conditions []metav1.Condition
		reported   map[types.UID]bool
		unowned    []*corev1.Pod
		metricsErr error
		wantEvents []string
		wantOutage time.Time
	}{
		{"quiet: fresh metrics, nobody unowned", nil, map[types.UID]bool{}, nil, nil, nil, time.Time{}},
		{"an unowned pod is reported once", nil, map[types.UID]bool{}, []*corev1.Pod{stranger}, nil,
			[]string{"Warning UnownedPodIgnored stranger"}, time.Time{}},
		{"an unowned pod already reported is not", nil, map[types.UID]bool{"u-stranger": true}, []*corev1.Pod{stranger}, nil,
			nil, time.Time{}},
		{"a reported pod that is gone is forgotten", nil, map[types.UID]bool{"u-gone": true}, []*corev1.Pod{stranger}, nil,
			[]string{"Warning UnownedPodIgnored stranger"}, time.Time{}},
		{"Prometheus goes away: one Event, the outage starts now", nil, map[types.UID]bool{}, nil, outage,
			[]string{"Warning PrometheusUnavailable"}, now},
		{"Prometheus still away: no Event, the outage started at the condition's transition",
			[]metav1.Condition{staleSince}, map[types.UID]bool{}, nil, outage, nil, now.Add(-time.Hour)},
	}
	s := cycle.Settings{Policy: policy.Settings{}, Interval: time.Minute, Window: 10 * time.Minute, MaxRMWritesPerMinute: 120}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enm := &v1alpha1.ElasticNodeManager{}
			enm.Status.Conditions = c.conditions
			g := &gathered{now: now, unowned: c.unowned, metricsErr: c.metricsErr}
			if c.metricsErr == nil {
				g.metrics = &promquery.Result{Nodes: map[string]*promquery.NodeResult{}}
			}
			mem := &memory{cycle: cycle.State{Previous: map[string]policy.Resources{}, InFlight: map[string]cycle.SentResize{}},
				samples: samples{newest: map[string]time.Time{}}, reported: c.reported}
			memBefore, enmBefore := *mem, enm.DeepCopy()
			reportedBefore := copyMap(c.reported)

			d := decide(enm, s, g, mem)

			var got []string
			for _, e := range d.events {
				ev := e.eventType + " " + e.reason
				if e.related != nil {
					ev += " " + e.related.Name
				}
				got = append(got, ev)
			}
			if !reflect.DeepEqual(got, c.wantEvents) {
				t.Errorf("events %q, want %q", got, c.wantEvents)
			}
			if !d.samples.outageSince.Equal(c.wantOutage) {
				t.Errorf("outage since %v, want %v", d.samples.outageSince, c.wantOutage)
			}
			for _, p := range c.unowned {
				if !d.reported[p.UID] {
					t.Errorf("%s not remembered as reported", p.Name)
				}
			}
			if len(d.reported) != len(c.unowned) {
				t.Errorf("%d pods remembered as reported, want the %d that claim the pool now", len(d.reported), len(c.unowned))
			}
			if !reflect.DeepEqual(*mem, memBefore) || !reflect.DeepEqual(mem.reported, reportedBefore) || !reflect.DeepEqual(enm, enmBefore) {
				t.Error("decide changed the pool's memory or the pool")
			}
		})
	}
}

package cycle

import (
	"fmt"
	"sort"
	"strings"
)

// Summary aggregates one cycle's outcome so a pool of 1,000 nodes gets one Event per cycle,
// not one per node.
type Summary struct {
	// ByDirectionReason counts the nodes resized or shed, by "direction reason".
	ByDirectionReason map[string]int
	// Deferred counts RM writes postponed by the budget.
	Deferred int
	// Failed counts jobs that failed; FirstFailure names the first in job order.
	Failed       int
	FirstFailure string
}

// Summary is the Event's content for the plan once its jobs ran (results[k] for p.Jobs[k]):
// the jobs done that wrote the RM or shed, the writes deferred, the failures.
func (p Plan) Summary(results []Result) Summary {
	s := Summary{ByDirectionReason: map[string]int{}, Deferred: p.Deferred}
	for k, i := range p.Jobs {
		if k >= len(results) {
			break
		}
		n, r := p.Nodes[i], results[k]
		switch {
		case r.Err != nil:
			if s.Failed == 0 {
				s.FirstFailure = fmt.Sprintf("%s: %v", n.ID, r.Err)
			}
			s.Failed++
		case r.Done && (n.Decision.WritesRM() || n.Decision.Shed):
			s.ByDirectionReason[string(n.Decision.Direction)+" "+string(n.Decision.Reason)]++
		}
	}
	return s
}

// Total is the number of nodes resized or shed.
func (s Summary) Total() int {
	n := 0
	for _, c := range s.ByDirectionReason {
		n += c
	}
	return n
}

// Quiet reports a cycle with nothing to tell: no resize, no deferral, no failure.
func (s Summary) Quiet() bool { return s.Total() == 0 && s.Failed == 0 && s.Deferred == 0 }

// message is e.g. "resized 12 NodeManagers (grow Grow: 5, shrink ShrinkBeyondTolerance: 7);
// 3 deferred by maxRMWritesPerMinute; 1 failed, first: n7:8041: ...".
func (s Summary) Message() string {
	keys := make([]string, 0, len(s.ByDirectionReason))
	for k := range s.ByDirectionReason {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, s.ByDirectionReason[k])
	}
	msg := fmt.Sprintf("resized %d NodeManagers (%s)", s.Total(), strings.Join(parts, ", "))
	if s.Deferred > 0 {
		msg += fmt.Sprintf("; %d deferred by maxRMWritesPerMinute", s.Deferred)
	}
	if s.Failed > 0 {
		msg += fmt.Sprintf("; %d failed, first: %s", s.Failed, s.FirstFailure)
	}
	// Event notes are limited to 1 KiB.
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return msg
}

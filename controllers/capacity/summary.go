package capacity

import (
	"fmt"
	"sort"
	"strings"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// summary aggregates one cycle's outcome so a pool of 1,000 nodes gets one Event per cycle,
// not one per node.
type summary struct {
	byDirectionReason map[string]int
	deferred          int
	failed            int
	firstFailure      string
}

func (s *summary) resized(d policy.Decision) {
	if s.byDirectionReason == nil {
		s.byDirectionReason = map[string]int{}
	}
	s.byDirectionReason[string(d.Direction)+" "+string(d.Reason)]++
}

func (s *summary) fail(node string, err error) {
	if s.failed == 0 {
		s.firstFailure = fmt.Sprintf("%s: %v", node, err)
	}
	s.failed++
}

func (s *summary) total() int {
	n := 0
	for _, c := range s.byDirectionReason {
		n += c
	}
	return n
}

// message is e.g. "resized 12 NodeManagers (grow Grow: 5, shrink ShrinkBeyondTolerance: 7);
// 3 deferred by maxRMWritesPerMinute; 1 failed, first: n7:8041: ...".
func (s *summary) message() string {
	keys := make([]string, 0, len(s.byDirectionReason))
	for k := range s.byDirectionReason {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, s.byDirectionReason[k])
	}
	msg := fmt.Sprintf("resized %d NodeManagers (%s)", s.total(), strings.Join(parts, ", "))
	if s.deferred > 0 {
		msg += fmt.Sprintf("; %d deferred by maxRMWritesPerMinute", s.deferred)
	}
	if s.failed > 0 {
		msg += fmt.Sprintf("; %d failed, first: %s", s.failed, s.firstFailure)
	}
	// Event notes are limited to 1 KiB.
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return msg
}

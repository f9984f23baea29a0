package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
)

func TestFormatTable(t *testing.T) {
	out := FormatTable(Sample{Elapsed: 65 * time.Second, Hour: 2.5, Containers: 140, AppsActive: 45, Pools: []PoolStats{
		{Pool: ResidentPool, Mode: "Resident", Up: 12, Offered: 143, Available: 160.25, Used: 140, Resizes: 34, Sheds: guarderstandin.ShedCounts{Graceful: 12, Forced: 3}},
		{Pool: NightPool, Mode: "Scheduled", Up: 10, Draining: 2, Offered: 120, Available: 150, Used: 118},
	}})
	for _, want := range []string{"t+1m5s", "simulated 02:30", "140 containers", "resident-pool", "160.2", "night-pool", "Scheduled"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 4 {
		t.Errorf("%d lines:\n%s", lines, out)
	}
}

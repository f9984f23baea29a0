package demo

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// FormatTable renders a sample as the live table.
func FormatTable(s Sample) string {
	var b strings.Builder
	h := int(s.Hour)
	m := int((s.Hour - float64(h)) * 60)
	fmt.Fprintf(&b, "t+%-7s simulated %02d:%02d   YARN: %d containers running, %d applications active\n",
		s.Elapsed.Truncate(time.Second), h, m, s.Containers, s.AppsActive)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POOL\tMODE\tNMS UP\tDRAINING\tOFFERED vcores\tAVAILABLE cores\tUSED vcores\tRESIZES\tGRACEFUL SHEDS\tFORCED SHEDS")
	for _, p := range s.Pools {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.1f\t%d\t%d\t%d\t%d\n",
			p.Pool, p.Mode, p.Up, p.Draining, p.Offered, p.Available, p.Used, p.Resizes, p.Sheds.Graceful, p.Sheds.Forced)
	}
	_ = tw.Flush()
	return b.String()
}

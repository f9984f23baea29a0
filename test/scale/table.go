package scale

import (
	"fmt"
	"strings"
	"time"
)

// FormatTable renders results as the Markdown table of docs/benchmarks.md, with the growth
// from the first (smallest) run to the last as ratios.
func FormatTable(rs []*Result) string {
	var b strings.Builder
	b.WriteString("| nodes | set-up | all NMs registered | all capacities converged | cold: RM writes | cold: guarder targets | steady: cycle time | per cycle: PromQL queries | mean query time | RM writes | RM listings | apiserver requests | guarder targets | operator RSS: peak | at the end |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %.0f | %.0f | %.2f s | %.1f | %.0f ms | %.1f | %.1f | %.1f | %.1f | %s | %s |\n",
			r.Nodes, secs(r.Setup), secs(r.Registered), secs(r.Converged), r.Cold.RMWrites, r.Cold.GuarderCalls,
			r.PerCycle.CycleSeconds, r.PerCycle.PromQueries, 1000*r.PerCycle.PromQuerySeconds, r.PerCycle.RMWrites, r.PerCycle.RMLists, r.PerCycle.APIRequests, r.PerCycle.GuarderCalls,
			FormatBytes(r.PeakRSS), FormatBytes(r.EndRSS))
	}
	if len(rs) > 1 {
		a, z := rs[0], rs[len(rs)-1]
		fmt.Fprintf(&b, "\nGrowth from %d to %d nodes (x%.0f): convergence x%.2f, operator peak RSS x%.2f, PromQL queries per cycle x%.2f.\n",
			a.Nodes, z.Nodes, float64(z.Nodes)/float64(a.Nodes), ratio(z.Converged.Seconds(), a.Converged.Seconds()),
			ratio(float64(z.PeakRSS), float64(a.PeakRSS)), ratio(z.PerCycle.PromQueries, a.PerCycle.PromQueries))
	}
	return b.String()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.0f s", d.Seconds()) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

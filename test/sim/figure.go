package sim

import (
	"fmt"
	"image"
	"io"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/plotting"
)

// probeLines is how many strategies the time series shows: more lines hide each other.
const probeLines = 4

// WriteChart draws the comparison as PNG: on top, the probed node's batch CPU available and
// each strategy's YARN allocation over time (from the first run's probes); below, bars of
// the headline figures of total (summed over runs) per strategy.
func WriteChart(w io.Writer, title string, probes []Figures, total []Figures, step time.Duration) error {
	const width, height = 1600, 1000
	c := plotting.New(width, height)
	c.Text(20, 14, title, plotting.Palette[7], 3)

	lines := []plotting.Line{{Name: "batch available", Color: plotting.Palette[7], Width: 4, Values: nil}}
	steps := 0
	for _, f := range probes {
		steps = max(steps, len(f.Probe))
	}
	if len(probes) > 0 && len(probes[0].Probe) > 0 {
		for _, p := range probes[0].Probe {
			lines[0].Values = append(lines[0].Values, p.AvailableCores)
		}
	}
	for i, f := range probes {
		if i >= probeLines {
			break
		}
		l := plotting.Line{Name: f.Strategy, Color: plotting.Palette[i%len(plotting.Palette)], Width: 2}
		for _, p := range f.Probe {
			l.Values = append(l.Values, float64(p.UsedVCores))
		}
		lines = append(lines, l)
	}
	var ticks []string
	hours := float64(steps) * step.Hours()
	for i := 0; i <= 8; i++ {
		ticks = append(ticks, fmt.Sprintf("%.0fh", hours*float64(i)/8))
	}
	c.Lines(image.Rect(0, 50, width, 560), "one node: YARN vcores allocated vs batch CPU available", lines, ticks)

	names := make([]string, len(total))
	harvest, evictions, lost, force := make([]float64, len(total)), make([]float64, len(total)), make([]float64, len(total)), make([]float64, len(total))
	for i, f := range total {
		names[i] = f.Strategy
		harvest[i] = 100 * f.Harvest()
		evictions[i] = 1000 * ratio(float64(f.Evictions()), float64(f.Nodes)*f.Hours)
		lost[i] = 100 * f.LostShare()
		force[i] = 100 * f.ForcePerGraceful()
	}
	panel := width / 4
	const top, bottom = 580, height - 50
	c.Bars(image.Rect(0, top, panel, bottom), "harvest %", harvest, "%.1f")
	c.Bars(image.Rect(panel, top, 2*panel, bottom), "evictions/1000 node-h", evictions, "%.1f")
	c.Bars(image.Rect(2*panel, top, 3*panel, bottom), "lost work %", lost, "%.1f")
	c.Bars(image.Rect(3*panel, top, width, bottom), "force-kills/graceful %", force, "%.1f")
	keys := make([]plotting.Line, len(names))
	for i, n := range names {
		keys[i] = plotting.Line{Name: n, Color: plotting.Palette[i%len(plotting.Palette)]}
	}
	c.Legend(60, bottom+4, width-20, keys)
	return c.PNG(w)
}

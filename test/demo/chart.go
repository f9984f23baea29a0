package demo

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/plotting"
)

// Chart colours.
var (
	colAxis      = color.RGBA{60, 60, 60, 255}
	colGrid      = color.RGBA{225, 225, 225, 255}
	colOffered   = color.RGBA{31, 119, 180, 255} // blue
	colAvailable = color.RGBA{44, 160, 44, 255}  // green
	colUsed      = color.RGBA{255, 127, 14, 255} // orange
	colText      = color.RGBA{20, 20, 20, 255}
	colDrainBand = color.RGBA{255, 240, 200, 255} // pale: some NodeManagers draining
)

const (
	chartWidth  = 1200
	panelHeight = 380
	chartTop    = 50
)

// series of one pool over the run.
type series struct {
	at                       []time.Duration
	offered, available, used []float64
	draining                 []bool
}

func seriesOf(samples []Sample, pool string) series {
	var s series
	for _, smp := range samples {
		for _, p := range smp.Pools {
			if p.Pool != pool {
				continue
			}
			s.at = append(s.at, smp.Elapsed)
			s.offered = append(s.offered, float64(p.Offered))
			s.available = append(s.available, p.Available)
			s.used = append(s.used, float64(p.Used))
			s.draining = append(s.draining, p.Draining > 0)
		}
	}
	return s
}

// WriteChart draws offered vs available vs used vcores of each pool over the run to a PNG.
func WriteChart(path string, samples []Sample) error {
	cv := plotting.New(chartWidth, chartTop+len(pools)*panelHeight+10)
	cv.Text(20, 10, "elastic-yarn-operator demo: YARN capacity offered vs available vs used", colText, 2)
	cv.Text(20, 30, "offered/used: RM emulator; available: koordlet BE suppress cores via Prometheus; pale band: NodeManagers draining", colText, 1)
	var end time.Duration
	if n := len(samples); n > 0 {
		end = samples[n-1].Elapsed
	}
	for i, p := range pools {
		drawPanel(cv, image.Rect(0, chartTop+i*panelHeight, chartWidth, chartTop+(i+1)*panelHeight),
			fmt.Sprintf("%s (%s), vcores", p.name, p.mode), seriesOf(samples, p.name), end)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := cv.PNG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func drawPanel(cv *plotting.Canvas, r image.Rectangle, title string, s series, end time.Duration) {
	plot := image.Rect(r.Min.X+80, r.Min.Y+40, r.Max.X-30, r.Max.Y-50)
	cv.Text(plot.Min.X, r.Min.Y+10, title, colText, 2)
	legend := []struct {
		name string
		c    color.RGBA
	}{{"offered", colOffered}, {"available", colAvailable}, {"used", colUsed}}
	lx := plot.Max.X - 470
	for _, l := range legend {
		cv.Fill(image.Rect(lx, r.Min.Y+14, lx+24, r.Min.Y+20), l.c)
		cv.Text(lx+30, r.Min.Y+10, l.name, colText, 2)
		lx += 40 + plotting.TextWidth(l.name, 2)
	}
	ymax := 10.0
	for i := range s.at {
		ymax = math.Max(ymax, math.Max(s.offered[i], math.Max(s.available[i], s.used[i])))
	}
	ymax = niceCeil(ymax)
	if end <= 0 {
		end = time.Second
	}
	x := func(d time.Duration) int {
		return plot.Min.X + int(float64(plot.Dx())*float64(d)/float64(end))
	}
	y := func(v float64) int { return plot.Max.Y - int(float64(plot.Dy())*v/ymax) }
	// Draining periods as pale bands.
	for i := 0; i+1 < len(s.at); i++ {
		if s.draining[i] {
			cv.Fill(image.Rect(x(s.at[i]), plot.Min.Y, x(s.at[i+1])+1, plot.Max.Y), colDrainBand)
		}
	}
	// niceCeil gives a multiple of 5 from 10 up, so five divisions have whole labels.
	for k := 0; k <= 5; k++ {
		v := ymax * float64(k) / 5
		cv.Line(plot.Min.X, y(v), plot.Max.X, y(v), colGrid, 1)
		label := fmt.Sprintf("%.0f", v)
		cv.Text(plot.Min.X-10-plotting.TextWidth(label, 2), y(v)-7, label, colText, 2)
	}
	step := tickStep(end)
	for t := time.Duration(0); t <= end; t += step {
		cv.Line(x(t), plot.Min.Y, x(t), plot.Max.Y, colGrid, 1)
		label := fmt.Sprintf("%ds", int(t.Seconds()))
		cv.Text(x(t)-plotting.TextWidth(label, 2)/2, plot.Max.Y+8, label, colText, 2)
	}
	axisLabel := "time into the run"
	cv.Text(plot.Max.X-plotting.TextWidth(axisLabel, 2), plot.Max.Y+30, axisLabel, colText, 2)
	cv.Line(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y, colAxis, 1)
	cv.Line(plot.Min.X, plot.Min.Y, plot.Min.X, plot.Max.Y, colAxis, 1)
	for _, line := range []struct {
		v []float64
		c color.RGBA
	}{{s.available, colAvailable}, {s.used, colUsed}, {s.offered, colOffered}} {
		for i := 0; i+1 < len(s.at); i++ {
			cv.Line(x(s.at[i]), y(line.v[i]), x(s.at[i+1]), y(line.v[i+1]), line.c, 3)
		}
	}
}

// niceCeil rounds v up to a round multiple of a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// tickStep gives about 6-12 x-axis ticks.
func tickStep(end time.Duration) time.Duration {
	for _, s := range []time.Duration{10 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute} {
		if end/s <= 12 {
			return s
		}
	}
	return 10 * time.Minute
}

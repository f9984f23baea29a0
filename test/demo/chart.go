package demo

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"time"
)

// Chart colours.
var (
	colBackground = color.RGBA{255, 255, 255, 255}
	colAxis       = color.RGBA{60, 60, 60, 255}
	colGrid       = color.RGBA{225, 225, 225, 255}
	colOffered    = color.RGBA{31, 119, 180, 255} // blue
	colAvailable  = color.RGBA{44, 160, 44, 255}  // green
	colUsed       = color.RGBA{255, 127, 14, 255} // orange
	colText       = color.RGBA{20, 20, 20, 255}
	colDrainBand  = color.RGBA{255, 240, 200, 255} // pale: some NodeManagers draining
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
	img := image.NewRGBA(image.Rect(0, 0, chartWidth, chartTop+len(pools)*panelHeight+10))
	draw.Draw(img, img.Bounds(), &image.Uniform{colBackground}, image.Point{}, draw.Src)
	drawText(img, 20, 10, "elastic-yarn-operator demo: YARN capacity offered vs available vs used", 2, colText)
	drawText(img, 20, 30, "offered/used: RM emulator; available: koordlet BE suppress cores via Prometheus; pale band: NodeManagers draining", 1, colText)
	var end time.Duration
	if n := len(samples); n > 0 {
		end = samples[n-1].Elapsed
	}
	for i, p := range pools {
		drawPanel(img, image.Rect(0, chartTop+i*panelHeight, chartWidth, chartTop+(i+1)*panelHeight),
			fmt.Sprintf("%s (%s), vcores", p.name, p.mode), seriesOf(samples, p.name), end)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func drawPanel(img *image.RGBA, r image.Rectangle, title string, s series, end time.Duration) {
	plot := image.Rect(r.Min.X+80, r.Min.Y+40, r.Max.X-30, r.Max.Y-50)
	drawText(img, plot.Min.X, r.Min.Y+10, title, 2, colText)
	legend := []struct {
		name string
		c    color.Color
	}{{"offered", colOffered}, {"available", colAvailable}, {"used", colUsed}}
	lx := plot.Max.X - 470
	for _, l := range legend {
		fill(img, image.Rect(lx, r.Min.Y+14, lx+24, r.Min.Y+20), l.c)
		drawText(img, lx+30, r.Min.Y+10, l.name, 2, colText)
		lx += 40 + textWidth(l.name, 2)
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
			fill(img, image.Rect(x(s.at[i]), plot.Min.Y, x(s.at[i+1])+1, plot.Max.Y), colDrainBand)
		}
	}
	// niceCeil gives a multiple of 5 from 10 up, so five divisions have whole labels.
	for k := 0; k <= 5; k++ {
		v := ymax * float64(k) / 5
		hline(img, plot.Min.X, plot.Max.X, y(v), colGrid)
		label := fmt.Sprintf("%.0f", v)
		drawText(img, plot.Min.X-10-textWidth(label, 2), y(v)-7, label, 2, colText)
	}
	step := tickStep(end)
	for t := time.Duration(0); t <= end; t += step {
		vline(img, x(t), plot.Min.Y, plot.Max.Y, colGrid)
		label := fmt.Sprintf("%ds", int(t.Seconds()))
		drawText(img, x(t)-textWidth(label, 2)/2, plot.Max.Y+8, label, 2, colText)
	}
	drawText(img, plot.Max.X-textWidth("time into the run", 2), plot.Max.Y+30, "time into the run", 2, colText)
	hline(img, plot.Min.X, plot.Max.X, plot.Max.Y, colAxis)
	vline(img, plot.Min.X, plot.Min.Y, plot.Max.Y, colAxis)
	for _, line := range []struct {
		v []float64
		c color.Color
	}{{s.available, colAvailable}, {s.used, colUsed}, {s.offered, colOffered}} {
		for i := 0; i+1 < len(s.at); i++ {
			thickLine(img, x(s.at[i]), y(line.v[i]), x(s.at[i+1]), y(line.v[i+1]), line.c)
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

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r.Intersect(img.Bounds()), &image.Uniform{c}, image.Point{}, draw.Src)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) {
	fill(img, image.Rect(x0, y, x1+1, y+1), c)
}

func vline(img *image.RGBA, x, y0, y1 int, c color.Color) {
	fill(img, image.Rect(x, y0, x+1, y1+1), c)
}

// thickLine draws a 3-pixel line from (x0,y0) to (x1,y1) (Bresenham with a square pen).
func thickLine(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		fill(img, image.Rect(x0-1, y0-1, x0+2, y0+2), c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

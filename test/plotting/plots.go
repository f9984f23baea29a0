package plotting

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// Palette colours strategies in table order.
var Palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
}

var (
	black = color.RGBA{0, 0, 0, 255}
	grey  = color.RGBA{200, 200, 200, 255}
)

// Line is one series of a line plot.
type Line struct {
	Name   string
	Color  color.RGBA
	Values []float64
	Width  int
}

// Lines plots series over a shared x axis (index) in area, with a title, y grid lines and a
// legend; xLabel names the axis and xTicks labels equally spaced ticks.
func (c *Canvas) Lines(area image.Rectangle, title string, lines []Line, xTicks []string) {
	plot := c.frame(area, title)
	ymax := 0.0
	n := 0
	for _, l := range lines {
		n = max(n, len(l.Values))
		for _, v := range l.Values {
			ymax = math.Max(ymax, v)
		}
	}
	ymax = niceCeil(ymax)
	c.yGrid(plot, ymax, "%.0f")
	for i, t := range xTicks {
		x := plot.Min.X + i*plot.Dx()/max(1, len(xTicks)-1)
		c.Line(x, plot.Max.Y, x, plot.Max.Y+4, black, 1)
		c.Text(x-TextWidth(t, 2)/2, plot.Max.Y+8, t, black, 2)
	}
	for _, l := range lines {
		px, py := -1, -1
		for i, v := range l.Values {
			x := plot.Min.X + int(float64(i)*float64(plot.Dx())/float64(max(1, n-1)))
			y := plot.Max.Y - int(v/ymax*float64(plot.Dy()))
			if px >= 0 {
				c.Line(px, py, x, y, l.Color, max(1, l.Width))
			}
			px, py = x, y
		}
	}
	c.Legend(plot.Min.X+10, plot.Min.Y+4, plot.Max.X, lines)
}

// Legend writes colour keys from (x, y), wrapping before maxX.
func (c *Canvas) Legend(x, y, maxX int, lines []Line) {
	lx, ly := x, y
	for _, l := range lines {
		w := 26 + TextWidth(l.Name, 2) + 24
		if lx+w > maxX && lx > x {
			lx, ly = x, ly+22
		}
		c.Fill(image.Rect(lx, ly+4, lx+20, ly+10), l.Color)
		c.Text(lx+26, ly, l.Name, black, 2)
		lx += w
	}
}

// Bars plots one bar per value, coloured by Palette in order, with the value printed above
// (formatted with format); a shared Legend names them.
func (c *Canvas) Bars(area image.Rectangle, title string, values []float64, format string) {
	plot := c.frame(area, title)
	ymax := 0.0
	for _, v := range values {
		ymax = math.Max(ymax, v)
	}
	ymax = niceCeil(ymax)
	if ymax == 0 {
		ymax = 1
	}
	c.yGrid(plot, ymax, "%g")
	slot := plot.Dx() / max(1, len(values))
	for i, v := range values {
		x0 := plot.Min.X + i*slot + slot/6
		x1 := plot.Min.X + (i+1)*slot - slot/6
		y := plot.Max.Y - int(v/ymax*float64(plot.Dy()))
		c.Fill(image.Rect(x0, y, x1, plot.Max.Y), Palette[i%len(Palette)])
		label := fmt.Sprintf(format, v)
		scale := 2
		if TextWidth(label, 2) > slot {
			scale = 1
		}
		c.Text((x0+x1)/2-TextWidth(label, scale)/2, y-9*scale, label, black, scale)
	}
}

// frame draws the title and axes and returns the inner plot area.
func (c *Canvas) frame(area image.Rectangle, title string) image.Rectangle {
	c.Text(area.Min.X+60, area.Min.Y+4, title, black, 2)
	plot := image.Rect(area.Min.X+60, area.Min.Y+40, area.Max.X-20, area.Max.Y-30)
	c.Line(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y, black, 1)
	c.Line(plot.Min.X, plot.Min.Y, plot.Min.X, plot.Max.Y, black, 1)
	return plot
}

func (c *Canvas) yGrid(plot image.Rectangle, ymax float64, format string) {
	for i := 1; i <= 4; i++ {
		y := plot.Max.Y - i*plot.Dy()/4
		c.Line(plot.Min.X+1, y, plot.Max.X, y, grey, 1)
		label := fmt.Sprintf(format, ymax*float64(i)/4)
		c.Text(plot.Min.X-8-TextWidth(label, 2), y-7, label, black, 2)
	}
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

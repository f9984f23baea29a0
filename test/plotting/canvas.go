package plotting

import (
	"image"
	"image/color"
	"image/png"
	"io"
)

// Canvas is an RGBA image with a white background.
type Canvas struct {
	img *image.RGBA
}

// New makes a w x h canvas.
func New(w, h int) *Canvas {
	c := &Canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	c.Fill(image.Rect(0, 0, w, h), color.RGBA{255, 255, 255, 255})
	return c
}

// Fill paints r.
func (c *Canvas) Fill(r image.Rectangle, col color.RGBA) {
	r = r.Intersect(c.img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.img.SetRGBA(x, y, col)
		}
	}
}

// Line draws from (x0,y0) to (x1,y1), width pixels thick (Bresenham with a square pen).
func (c *Canvas) Line(x0, y0, x1, y1 int, col color.RGBA, width int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for {
		c.Fill(image.Rect(x0-width/2, y0-width/2, x0-width/2+width, y0-width/2+width), col)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

// Text writes s with its top-left corner at (x, y), each font pixel scale x scale.
func (c *Canvas) Text(x, y int, s string, col color.RGBA, scale int) {
	for _, r := range s {
		g := glyph(r)
		for row, bits := range g {
			for i := 0; i < glyphW; i++ {
				if bits[i] == '#' {
					c.Fill(image.Rect(x+i*scale, y+row*scale, x+(i+1)*scale, y+(row+1)*scale), col)
				}
			}
		}
		x += (glyphW + 1) * scale
	}
}

// TextWidth is the width of s at scale.
func TextWidth(s string, scale int) int { return len([]rune(s)) * (glyphW + 1) * scale }

// PNG encodes the canvas.
func (c *Canvas) PNG(w io.Writer) error { return png.Encode(w, c.img) }

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

package plotting

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

func draw(t *testing.T) []byte {
	t.Helper()
	c := New(400, 300)
	c.Lines(image.Rect(0, 0, 400, 150), "lines", []Line{{Name: "a", Color: Palette[0], Values: []float64{1, 3, 2}}}, []string{"0h", "1h"})
	c.Bars(image.Rect(0, 150, 400, 300), "bars 100%", []float64{10, 0, 35.5}, "%.1f")
	var b bytes.Buffer
	if err := c.PNG(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestChartIsDeterministicPNG(t *testing.T) {
	a, b := draw(t), draw(t)
	if !bytes.Equal(a, b) {
		t.Fatal("same input, different PNG bytes")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 400 || img.Bounds().Dy() != 300 {
		t.Fatalf("size %v", img.Bounds())
	}
	// Something other than the white background was drawn in the bar area.
	drawn := false
	for y := 200; y < 290 && !drawn; y++ {
		for x := 60; x < 380; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff {
				drawn = true
				break
			}
		}
	}
	if !drawn {
		t.Fatal("no bars drawn")
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{0: 0, 0.7: 1, 3: 5, 47: 50, 101: 200} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%g) = %g, want %g", in, got, want)
		}
	}
}

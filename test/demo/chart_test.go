package demo

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteChart(t *testing.T) {
	var samples []Sample
	for i := 0; i <= 120; i++ {
		v := 100 + 60*math.Sin(float64(i)/20)
		samples = append(samples, Sample{Elapsed: time.Duration(i) * 2 * time.Second, Pools: []PoolStats{
			{Pool: ResidentPool, Offered: int64(v * 0.9), Available: v, Used: int64(v * 0.85)},
			{Pool: NightPool, Offered: 120, Available: v * 1.2, Used: 110, Draining: i / 100},
		}})
	}
	path := filepath.Join(t.TempDir(), "img", "demo.png")
	if os.Getenv("DEMO_CHART_OUT") != "" {
		path = os.Getenv("DEMO_CHART_OUT")
	}
	if err := WriteChart(path, samples); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != chartWidth || b.Dy() < 2*panelHeight {
		t.Fatalf("bounds %v", b)
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{7: 8, 10: 10, 11: 15, 143: 150, 201: 250, 260: 300, 501: 600, 810: 1000} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}

package workload

import (
	"math"
	"math/rand/v2"
	"time"
)

// Options shape the generated workload.
type Options struct {
	Seed uint64
	// Mix weighs the classes by number of containers, indexed by Class.
	Mix [numClasses]float64
}

// DefaultOptions: mostly MapReduce tasks and Spark executors (two thirds of the executors with
// decommission on), a few long Flink TaskManagers and the ApplicationMasters of the jobs.
func DefaultOptions(seed uint64) Options {
	var mix [numClasses]float64
	mix[SparkDecommission] = 0.30
	mix[Spark] = 0.15
	mix[MapReduce] = 0.45
	mix[Flink] = 0.03
	mix[AppMaster] = 0.07
	return Options{Seed: seed, Mix: mix}
}

// Generator draws container specs; the same seed gives the same sequence.
type Generator struct {
	rng    *rand.Rand
	opt    Options
	total  float64
	nextID uint64
	// app is the application of the containers drawn now: the last ApplicationMaster's ID.
	app uint64
}

// NewGenerator starts a sequence.
func NewGenerator(opt Options) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(opt.Seed, 0x5eed)), opt: opt}
	for _, w := range opt.Mix {
		g.total += w
	}
	return g
}

// Next draws the next container.
func (g *Generator) Next() Spec {
	g.nextID++
	c := g.class()
	if c == AppMaster {
		// An application starts with its AM; the containers drawn after it, until the next
		// AM, are its tasks. No random draw: the sequence of specs is unchanged.
		g.app = g.nextID
	}
	s := Spec{ID: g.nextID, App: g.app, Class: c, CPUUse: 0.75 + 0.25*g.rng.Float64(), MemoryUse: 0.6 + 0.35*g.rng.Float64()}
	switch c {
	case SparkDecommission, Spark:
		s.VCores = g.pick([]int64{1, 2, 4, 8}, []float64{0.10, 0.30, 0.40, 0.20})
		s.MemoryMB = s.VCores * g.pick([]int64{2048, 3072, 4096}, []float64{0.5, 0.3, 0.2})
		s.Work = g.lognormal(20*time.Minute, 1.0, time.Minute, 8*time.Hour)
	case MapReduce:
		s.VCores = g.pick([]int64{1, 2}, []float64{0.8, 0.2})
		s.MemoryMB = s.VCores * g.pick([]int64{2048, 3072}, []float64{0.7, 0.3})
		s.Work = g.lognormal(3*time.Minute, 1.0, 20*time.Second, 2*time.Hour)
	case Flink:
		s.VCores = g.pick([]int64{2, 4}, []float64{0.5, 0.5})
		s.MemoryMB = s.VCores * 4096
		s.Work = g.lognormal(24*time.Hour, 0.5, 2*time.Hour, 7*24*time.Hour)
		s.Checkpoint = 10 * time.Minute
	default:
		s.VCores, s.MemoryMB = 1, 2048
		s.Work = g.lognormal(45*time.Minute, 1.0, 2*time.Minute, 12*time.Hour)
	}
	// Decommission: finish the running tasks (a heavy tail) after a fixed hand-over.
	s.Decommission = 20*time.Second + g.lognormal(40*time.Second, 0.7, time.Second, time.Hour)
	s.Terminate = g.lognormal(1500*time.Millisecond, 0.8, 200*time.Millisecond, time.Minute)
	return s
}

func (g *Generator) class() Class {
	x := g.rng.Float64() * g.total
	for c, w := range g.opt.Mix {
		if x < w {
			return Class(c)
		}
		x -= w
	}
	return AppMaster
}

func (g *Generator) pick(values []int64, weights []float64) int64 {
	x := g.rng.Float64()
	for i, w := range weights {
		if x < w {
			return values[i]
		}
		x -= w
	}
	return values[len(values)-1]
}

// lognormal draws a heavy-tailed duration with the given median and log-deviation, clamped.
func (g *Generator) lognormal(median time.Duration, sigma float64, lo, hi time.Duration) time.Duration {
	d := time.Duration(float64(median) * math.Exp(sigma*g.rng.NormFloat64()))
	return min(hi, max(lo, d))
}

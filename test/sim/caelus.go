package sim

import (
	"cmp"
	"slices"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/caelus"
)

// CaelusName labels Tencent Caelus' row.
const CaelusName = "caelus"

// minPredictSamples is localPredict's initSampleTimes: Predict waits for three samples.
const minPredictSamples = 3

// Caelus sizes each NM as Tencent Caelus does (test/peers/caelus): its own predictor of the
// online use (a decaying 80th percentile plus 8 %), total minus that minus a reserve,
// rounded, ignored inside a range, raised at most once a minute; on a decrease it writes
// the capacity and kills containers (ApplicationMasters last, newest first) until what is
// allocated and used fits. It reads no Koordinator figure: it measures the node itself, and
// it runs instead of koordlet, so koordlet's evictions do not apply to it (its own
// interference detection, pkg/caelus/healthcheck, is not modelled: its losses are a lower
// bound, and "above available" shows how far it goes past what Koordinator would offer).
type Caelus struct {
	cfg          caelus.Config
	predictors   []*caelus.Predictor
	lastIncrease []time.Duration
	nextSample   time.Duration
	nextUpdate   time.Duration
}

// NewCaelus is the Factory for Caelus with its shipped configuration.
func NewCaelus() Strategy { return &Caelus{cfg: caelus.DefaultConfig()} }

func (s *Caelus) Name() string { return CaelusName }

func (s *Caelus) Control(c *Cluster) {
	if s.predictors == nil {
		s.predictors = make([]*caelus.Predictor, len(c.Nodes))
		s.lastIncrease = make([]time.Duration, len(c.Nodes))
		for i := range s.predictors {
			s.predictors[i] = caelus.NewPredictor(s.cfg)
			s.lastIncrease[i] = -s.cfg.CapacityIncInterval
		}
	}
	if c.Now >= s.nextSample {
		s.nextSample = c.Now + s.cfg.CheckInterval
		for _, n := range c.Nodes {
			// Online = node total minus offline (predict_local.go getRecentOnlineResource):
			// the online services and the host's own daemons.
			onlineCPU, onlineMem := n.Online(c.K)
			s.predictors[n.Index].AddSample(c.Now, onlineCPU+c.Config.Koord.SystemCPUCores, onlineMem+c.Config.Koord.SystemMemoryMB)
		}
	}
	if c.Now < s.nextUpdate {
		return
	}
	s.nextUpdate = c.Now + s.cfg.UpdateInterval
	for _, n := range c.Nodes {
		p := s.predictors[n.Index]
		if !n.RM.Registered || p.Samples() < minPredictSamples {
			continue
		}
		predCPU, predMem := p.Predict()
		offerCPU, offerMem := caelus.Offer(s.cfg, n.CPUCores, n.MemoryMB, predCPU, predMem)
		offer := caelus.RoundOff(s.cfg, offerCPU, offerMem)
		cur := n.RM.Effective()
		switch caelus.Decide(s.cfg, caelus.Capacity{CPUMilli: cur.VCores * 1000, MemoryMB: cur.MemoryMB}, offer) {
		case caelus.Keep:
			continue
		case caelus.Increase:
			if c.Now-s.lastIncrease[n.Index] < s.cfg.CapacityIncInterval {
				continue // "increasing capacity, while too frequently, nothing to do"
			}
			s.lastIncrease[n.Index] = c.Now
			c.SetRM(n, toYARN(offer))
		case caelus.Decrease:
			target := toYARN(offer)
			c.SetRM(n, target)
			s.kill(c, n, target)
		}
	}
}

// WithoutKoordlet: Caelus runs instead of koordlet.
func (s *Caelus) WithoutKoordlet() bool { return true }

// EvictionFree: no koordlet runs beside Caelus.
func (s *Caelus) EvictionFree() bool { return true }

// toYARN is NMCapacity: vcores = millicores / 1000.
func toYARN(c caelus.Capacity) Resources {
	return Resources{VCores: c.CPUMilli / 1000, MemoryMB: c.MemoryMB}
}

// kill is killContainersWithStats with no conflicting resource (yarn/ginit.go): containers
// sorted byAmAndTime (ApplicationMasters last, newest first) are killed until both what is
// allocated and what is used fit the target. Caelus' nm-operator sends SIGTERM to each
// container's process group, then SIGKILL after KillGrace.
func (s *Caelus) kill(c *Cluster, n *Node, target Resources) {
	var order []*Container
	var allocVC, allocMB, usedVC, usedMB float64
	for _, ct := range n.Containers {
		if ct.Leaving() {
			continue
		}
		order = append(order, ct)
		allocVC += float64(ct.Spec.VCores)
		allocMB += float64(ct.Spec.MemoryMB)
		usedVC += float64(ct.Spec.VCores) * ct.Spec.CPUUse
		usedMB += float64(ct.Spec.MemoryMB) * ct.Spec.MemoryUse
	}
	slices.SortStableFunc(order, func(a, b *Container) int {
		if a.Spec.Class.AM() != b.Spec.Class.AM() {
			if a.Spec.Class.AM() {
				return 1
			}
			return -1
		}
		return cmp.Compare(b.Start, a.Start) // newest first
	})
	tv, tm := float64(target.VCores), float64(target.MemoryMB)
	for _, ct := range order {
		if allocMB <= tm && allocVC <= tv && usedMB <= tm && usedVC <= tv {
			return
		}
		c.Signal(n, ct, SignalTerminate, c.Now+s.cfg.KillGrace)
		allocVC -= float64(ct.Spec.VCores)
		allocMB -= float64(ct.Spec.MemoryMB)
		usedVC -= float64(ct.Spec.VCores) * ct.Spec.CPUUse
		usedMB -= float64(ct.Spec.MemoryMB) * ct.Spec.MemoryUse
	}
}

package signaller

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
)

// Counters receives one call per first graceful signal, terminate signal and force kill of a
// container (metrics.Metrics satisfies it through an adapter in the worker).
type Counters interface {
	GracefulSignal()
	TerminateSignal()
	ForceKill()
}

// Config configures a Signaller.
type Config struct {
	ProcRoot  string
	Hierarchy string
	// Grace is how long a signalled container may take before SIGKILL.
	Grace time.Duration
	// Policy allows or forbids SIGPWR; empty means PolicyGraceful, the API's default.
	Policy Policy
	// Retention is how long Gone records are kept for the API (default 10 minutes).
	Retention time.Duration
	Sys       Sys
	Counters  Counters
	Log       logr.Logger
}

// Signaller acts on containers and tracks them until they are gone. Safe for concurrent use.
type Signaller struct {
	cfg     Config
	mu      sync.Mutex
	records map[string]*Record
}

// New returns a Signaller; a nil Sys means the real OS.
func New(cfg Config) *Signaller {
	if cfg.Sys == nil {
		cfg.Sys = NewOSSys()
	}
	if cfg.Hierarchy == "" {
		cfg.Hierarchy = discovery.DefaultHierarchy
	}
	if cfg.Retention == 0 {
		cfg.Retention = 10 * time.Minute
	}
	if cfg.Policy == "" {
		cfg.Policy = PolicyGraceful
	}
	return &Signaller{cfg: cfg, records: map[string]*Record{}}
}

// ErrNoVerifiedProcess means no process of the container passed re-verification, so nothing
// was signalled.
var ErrNoVerifiedProcess = errors.New("no process of the container could be verified")

// State returns the tracked state of a container (StateRunning if untracked).
func (s *Signaller) State(containerID string) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.records[containerID]; ok {
		return r.State
	}
	return StateRunning
}

// Records returns a copy of every record, sorted by container id.
func (s *Signaller) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.records))
	for _, r := range s.records {
		cp := *r
		cp.Members = append([]discovery.Identity(nil), r.Members...)
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ContainerID < out[j].ContainerID })
	return out
}

// Shed sends the first signal to c (see the package doc for which). It is idempotent: a
// container already tracked is not signalled again. deadline, if not zero and earlier than
// now+Grace, brings the force-kill forward. dryRun reports the action without sending or
// recording anything.
func (s *Signaller) Shed(c discovery.Container, reason string, now, deadline time.Time, dryRun bool) (Action, error) {
	id := c.ID.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.records[id]; ok && r.State.Leaving() {
		return Action{}, nil
	}
	rec := &Record{
		ContainerID: id, Reason: reason, PGID: c.PGID, Members: c.MemberIdentities(),
		SignalledAt: now, KillAt: KillAt(now, deadline, s.cfg.Grace),
	}
	if mainID, ok := c.MainIdentity(); ok {
		mainID.ContainerID = id
		rec.Main = &mainID
	}
	log := s.cfg.Log.WithValues("containerId", id, "reason", reason)

	if FirstSignal(s.cfg.Policy, c).Graceful() {
		act := Action{ContainerID: id, Signal: "SIGPWR", Target: TargetProcess, PID: rec.Main.PID, DryRun: dryRun}
		if dryRun {
			return act, nil
		}
		err := s.signalProcess(*rec.Main, syscall.SIGPWR)
		if err == nil {
			rec.State = StateLeavingGraceful
			s.records[id] = rec
			s.count(func(c Counters) { c.GracefulSignal() })
			log.Info("sent SIGPWR to the JVM", "pid", act.PID, "killAt", rec.KillAt)
			return act, nil
		}
		if errors.Is(err, discovery.ErrIdentityMismatch) {
			// The JVM's pid now names another process: nothing of this container is safe
			// to assume about; fall through to the group only if a member verifies.
			log.Info("JVM identity changed, not signalled", "pid", act.PID, "error", err.Error())
		} else {
			log.Info("SIGPWR failed, falling back to SIGTERM of the group", "pid", act.PID, "error", err.Error())
		}
	}

	act := Action{ContainerID: id, Signal: "SIGTERM", Target: TargetGroup, PID: c.PGID, DryRun: dryRun}
	if c.PGID == 0 {
		// No group holds this container alone (see discovery.Container.PGID): each of its
		// verified processes gets the signal instead.
		act.Target, act.PID = TargetProcesses, 0
	}
	if dryRun {
		return act, nil
	}
	var err error
	if c.PGID > 0 {
		err = s.signalGroup(c.PGID, rec.Members, syscall.SIGTERM)
	} else {
		err = s.signalEach(rec.Members, syscall.SIGTERM)
	}
	if err != nil {
		act.Err = err.Error()
		if errors.Is(err, ErrNoVerifiedProcess) {
			rec.State, rec.GoneAt = StateGone, now
			s.records[id] = rec
		}
		return act, err
	}
	rec.State = StateLeavingTerminated
	s.records[id] = rec
	s.count(func(c Counters) { c.TerminateSignal() })
	log.Info("sent SIGTERM to the container", "target", act.Target, "pgid", c.PGID, "processes", len(rec.Members), "killAt", rec.KillAt)
	return act, nil
}

// KillAt is when a container signalled at now is killed if it is still there: after the
// grace period, or at the target's deadline when that is sooner (never before now; a zero
// deadline sets no limit). Pure, so the simulator's guarder model kills when the guarder does.
func KillAt(now, deadline time.Time, grace time.Duration) time.Time {
	at := now.Add(grace)
	if !deadline.IsZero() && deadline.Before(at) {
		at = deadline
	}
	if at.Before(now) {
		at = now
	}
	return at
}

// Reconcile moves tracked containers on using a fresh scan: those without processes become
// Gone, those past their kill time are force-killed (SIGKILL to the group and to every
// verified member). Killed containers that linger are killed again without being counted twice.
func (s *Signaller) Reconcile(present []discovery.Container, now time.Time) []Action {
	byID := make(map[string]discovery.Container, len(present))
	for _, c := range present {
		byID[c.ID.String()] = c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var actions []Action
	for id, rec := range s.records {
		c, alive := byID[id]
		switch {
		case rec.State == StateGone:
			if now.Sub(rec.GoneAt) > s.cfg.Retention {
				delete(s.records, id)
			}
		case !alive:
			rec.State, rec.GoneAt = StateGone, now
			s.cfg.Log.Info("container gone", "containerId", id)
		case rec.State == StateKilled || !now.Before(rec.KillAt):
			actions = append(actions, s.forceKill(rec, c, now)...)
		}
	}
	sort.Slice(actions, func(i, j int) bool { return actions[i].ContainerID < actions[j].ContainerID })
	return actions
}

// forceKill sends SIGKILL to the container's group and to each of its processes, verifying
// each target first. Processes seen in the fresh scan count, so children started after the
// first signal are not missed.
func (s *Signaller) forceKill(rec *Record, c discovery.Container, now time.Time) []Action {
	members := c.MemberIdentities()
	first := rec.State != StateKilled
	var actions []Action
	killed := false
	// The group only when the fresh scan still finds it held by this container alone.
	if c.PGID > 0 {
		groupErr := s.signalGroup(c.PGID, members, syscall.SIGKILL)
		act := Action{ContainerID: rec.ContainerID, Signal: "SIGKILL", Target: TargetGroup, PID: c.PGID}
		if groupErr != nil {
			act.Err = groupErr.Error()
		}
		actions = append(actions, act)
		killed = groupErr == nil
	}
	for _, m := range members {
		if err := s.signalProcess(m, syscall.SIGKILL); err == nil {
			killed = true
			actions = append(actions, Action{ContainerID: rec.ContainerID, Signal: "SIGKILL", Target: TargetProcess, PID: m.PID})
		}
	}
	if !killed {
		// Nothing verifiable is left: the pids belong to other processes now, or died.
		rec.State, rec.GoneAt = StateGone, now
		return actions
	}
	if first {
		rec.State, rec.KilledAt = StateKilled, now
		s.count(func(c Counters) { c.ForceKill() })
		s.cfg.Log.Info("force-killed container after its grace period", "containerId", rec.ContainerID,
			"pgid", c.PGID, "signalledAt", rec.SignalledAt)
	}
	return actions
}

// signalProcess opens a handle, verifies the identity, then signals through the handle.
func (s *Signaller) signalProcess(id discovery.Identity, sig syscall.Signal) error {
	h, err := s.cfg.Sys.Open(id.PID)
	if err != nil {
		return fmt.Errorf("%w: open pid %d: %v", discovery.ErrGone, id.PID, err)
	}
	defer h.Close()
	if _, err := discovery.Verify(s.cfg.ProcRoot, s.cfg.Hierarchy, id); err != nil {
		return err
	}
	return h.Signal(sig)
}

// signalEach signals every member that still verifies, one by one. It fails with
// ErrNoVerifiedProcess only when none could be signalled.
func (s *Signaller) signalEach(members []discovery.Identity, sig syscall.Signal) error {
	sent := 0
	var last error
	for _, m := range members {
		if err := s.signalProcess(m, sig); err != nil {
			last = err
			continue
		}
		sent++
	}
	if sent == 0 {
		return fmt.Errorf("%w: %v", ErrNoVerifiedProcess, last)
	}
	return nil
}

// signalGroup signals pgid after proving, through a live verified member, that the group id
// still names this container's group.
func (s *Signaller) signalGroup(pgid int, members []discovery.Identity, sig syscall.Signal) error {
	if pgid <= 1 {
		return fmt.Errorf("%w: no usable process group (%d)", ErrNoVerifiedProcess, pgid)
	}
	// The leader first: it is the usual anchor and the likeliest to be in the group.
	ordered := append([]discovery.Identity(nil), members...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].PID == pgid && ordered[j].PID != pgid })
	for _, m := range ordered {
		h, err := s.cfg.Sys.Open(m.PID)
		if err != nil {
			continue
		}
		p, err := discovery.Verify(s.cfg.ProcRoot, s.cfg.Hierarchy, m)
		if err != nil || p.PGID != pgid || h.Signal(0) != nil {
			_ = h.Close()
			continue
		}
		err = s.cfg.Sys.KillGroup(pgid, sig)
		_ = h.Close()
		return err
	}
	return ErrNoVerifiedProcess
}

func (s *Signaller) count(f func(Counters)) {
	if s.cfg.Counters != nil {
		f(s.cfg.Counters)
	}
}

// Grace is how long a signalled container may take before it is killed.
func (s *Signaller) Grace() time.Duration { return s.cfg.Grace }

// Policy is the signal policy in force (never empty).
func (s *Signaller) Policy() Policy { return s.cfg.Policy }

package rmemulator

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Emulator is a set of ResourceManagers (one, or an HA pair/triple) sharing one cluster state.
// All methods are safe for concurrent use.
type Emulator struct {
	cfg Config

	mu     sync.Mutex
	rms    []*rmInstance
	active int // index of the active RM, -1 when none
	epoch  int64
	nodes  map[string]*node
	labels map[string]bool // name -> exclusivity
	// pendingLabels are node-to-label mappings by node id (host:0 for a whole host), kept
	// whether or not the node is registered, as the RM's label manager does.
	pendingLabels map[string][]string
	apps          []*app
	appsByID      map[string]*app
	nextAppSeq    int64
	// recoveredAt is when the active RM last recovered (restart or failover), by cfg.Now.
	recoveredAt time.Time
	submitted   int // generated workload apps, to cycle priorities

	faults faults

	handshakes   atomic.Int64
	secretMu     sync.Mutex
	cookieSecret []byte
}

// rmInstance is one ResourceManager's web endpoint.
type rmInstance struct {
	e      *Emulator
	index  int
	url    string // set once listening
	server *http.Server
}

// New creates the emulator; RM 0 is active. Call Start (or serve Handler/RMHandler yourself).
func New(cfg Config) *Emulator {
	cfg = cfg.withDefaults()
	e := &Emulator{cfg: cfg, active: 0, nodes: map[string]*node{}, labels: map[string]bool{}, pendingLabels: map[string][]string{},
		appsByID: map[string]*app{}, nextAppSeq: 1, cookieSecret: make([]byte, 32)}
	if _, err := rand.Read(e.cookieSecret); err != nil {
		panic(err)
	}
	e.faults.init()
	for i := 0; i < cfg.RMs; i++ {
		e.rms = append(e.rms, &rmInstance{e: e, index: i})
	}
	return e
}

// Handler serves RM 0 (enough for a non-HA emulator under httptest.NewServer).
func (e *Emulator) Handler() http.Handler { return e.RMHandler(0) }

// RMHandler serves RM i. Redirects from a standby need the active RM's URL: use Start/StartOn,
// or SetURL when serving the handlers yourself.
func (e *Emulator) RMHandler(i int) http.Handler { return e.rms[i] }

// SetURL records where RM i is reachable (used in a standby's Location header).
func (e *Emulator) SetURL(i int, url string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rms[i].url = url
}

// Start listens on a free loopback port for each RM.
func (e *Emulator) Start() error {
	addrs := make([]string, len(e.rms))
	for i := range addrs {
		addrs[i] = "127.0.0.1:0"
	}
	return e.StartOn(addrs)
}

// StartOn listens on the given addresses, one per RM, and serves until Close.
func (e *Emulator) StartOn(addrs []string) error {
	if len(addrs) != len(e.rms) {
		return fmt.Errorf("rmemulator: %d addresses for %d RMs", len(addrs), len(e.rms))
	}
	var ls []net.Listener
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return err
		}
		ls = append(ls, l)
	}
	return e.Serve(ls)
}

// Serve serves RM i on listeners[i]; the URL is http://<listener address>.
func (e *Emulator) Serve(listeners []net.Listener) error {
	if len(listeners) != len(e.rms) {
		return fmt.Errorf("rmemulator: %d listeners for %d RMs", len(listeners), len(e.rms))
	}
	for i, l := range listeners {
		rm := e.rms[i]
		e.SetURL(i, "http://"+l.Addr().String())
		rm.server = &http.Server{Handler: rm, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = rm.server.Serve(l) }()
	}
	return nil
}

// URLs are the RMs' base URLs (empty before Start).
func (e *Emulator) URLs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]string, len(e.rms))
	for i, rm := range e.rms {
		out[i] = rm.url
	}
	return out
}

// URL is RM 0's base URL.
func (e *Emulator) URL() string { return e.URLs()[0] }

// Close stops the servers started by Start/StartOn/Serve.
func (e *Emulator) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, rm := range e.rms {
		if rm.server != nil {
			if err := rm.server.Shutdown(ctx); err != nil {
				_ = rm.server.Close()
			}
		}
	}
}

// StopRM closes RM i's listener, so clients get "connection refused" from it.
func (e *Emulator) StopRM(i int) {
	if s := e.rms[i].server; s != nil {
		_ = s.Close()
	}
}

// ActiveRM is the index of the active RM, -1 when none.
func (e *Emulator) ActiveRM() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.active
}

// Failover makes RM `to` active (-1: no RM active, every one answers as standby). The new
// active RM recovers applications from the state store but knows no NodeManager: each one
// learns of the new RM at its next heartbeat (RESYNC) and registers again, ReregistrationDelay
// later. Until then the RM does not list the node (ResourceTrackerService.nodeHeartbeat:
// "Node not found resyncing"). Running containers are kept (work-preserving recovery) and
// are reported at re-registration; new containers get the next epoch. Pending asynchronous
// resizes are lost; an applied one survives if it reached the NM in a heartbeat, unless
// Config.ForgetResizeOnRMRestart.
func (e *Emulator) Failover(to int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if to < -1 || to >= len(e.rms) {
		return fmt.Errorf("rmemulator: no RM %d", to)
	}
	if to == e.active {
		return nil
	}
	e.active = to
	if to >= 0 {
		e.recoverLocked()
	}
	return nil
}

// RestartRM restarts the active RM in place (non-HA restart with recovery): as a failover,
// the RM comes back knowing no NodeManager until each re-registers.
func (e *Emulator) RestartRM() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.active < 0 {
		return fmt.Errorf("rmemulator: no active RM to restart")
	}
	e.recoverLocked()
	return nil
}

// recoverLocked is what a newly active RM starts from: no nodes (inactive ones are not in
// the state store and are forgotten for good), NMs re-registering after the delay.
func (e *Emulator) recoverLocked() {
	e.epoch++
	e.recoveredAt = e.cfg.Now()
	var back []string
	for id, n := range e.nodes {
		n.gen++ // pending resizes die with the old RM
		if !n.registered {
			continue
		}
		n.registered = false
		if n.state.Active() {
			back = append(back, id)
		}
	}
	if e.cfg.ReregistrationDelay < 0 {
		return
	}
	time.AfterFunc(e.cfg.ReregistrationDelay, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, id := range back {
			if n, ok := e.nodes[id]; ok && !n.registered && n.state.Active() {
				e.nmRegisterLocked(n)
			}
		}
	})
}

// ReregisterAll ends the re-registration gap now: every NodeManager still running that the
// active RM does not know registers again (with what it holds, see Failover).
func (e *Emulator) ReregisterAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.nodes {
		if !n.registered && n.state.Active() {
			e.nmRegisterLocked(n)
		}
	}
}

// Handshakes counts successful Kerberos (SPNEGO) authentications; requests served on a
// hadoop.auth cookie do not count.
func (e *Emulator) Handshakes() int64 { return e.handshakes.Load() }

var errNoNode = errors.New("rmemulator: no such node")

// Now is the emulator's clock (Config.Now).
func (e *Emulator) Now() time.Time { return e.cfg.Now() }

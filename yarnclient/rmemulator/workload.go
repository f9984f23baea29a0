package rmemulator

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// AppSpec describes an application: an AM plus Containers task containers of one size, each
// running Duration once placed.
type AppSpec struct {
	Name       string        `json:"name"`
	Queue      string        `json:"queue"`
	User       string        `json:"user"`
	Type       string        `json:"type"` // applicationType, e.g. SPARK, MAPREDUCE
	Priority   int           `json:"priority"`
	Containers int           `json:"containers"`
	Resource   Resource      `json:"resource"`
	AMResource Resource      `json:"amResource"`
	Duration   time.Duration `json:"duration"`
}

func (s AppSpec) withDefaults() AppSpec {
	if s.Name == "" {
		s.Name = "emulated-job"
	}
	if s.Queue == "" {
		s.Queue = "default"
	}
	if s.User == "" {
		s.User = "hadoop"
	}
	if s.Type == "" {
		s.Type = "SPARK"
	}
	if s.Containers <= 0 {
		s.Containers = 8
	}
	if s.Resource == (Resource{}) {
		s.Resource = Resource{MemoryMB: 2048, VCores: 1}
	}
	if s.AMResource == (Resource{}) {
		s.AMResource = Resource{MemoryMB: 1024, VCores: 1}
	}
	if s.Duration <= 0 {
		s.Duration = 10 * time.Minute
	}
	return s
}

// SubmitApp queues an application (state ACCEPTED until its AM is placed) and returns its id.
func (e *Emulator) SubmitApp(s AppSpec) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.submitLocked(s.withDefaults()).id.String()
}

func (e *Emulator) submitLocked(s AppSpec) *app {
	a := &app{id: yarnclient.ApplicationID{ClusterTimestamp: e.cfg.ClusterTimestamp, Seq: e.nextAppSeq},
		spec: s, state: "ACCEPTED", submitted: e.cfg.Now(), pending: s.Containers, nextSeq: 1,
		running: map[string]*container{}}
	e.nextAppSeq++
	e.apps = append(e.apps, a)
	e.appsByID[a.id.String()] = a
	return a
}

// Tick advances the workload to now: containers whose time is up finish, finished apps release
// their AM, the backlog is topped up, and pending containers are placed by application priority
// (higher first), AMs before tasks. Tests call it with a fake clock; RunWorkload calls it in
// real time.
func (e *Emulator) Tick(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.nodes {
		for _, c := range n.containers {
			if !c.end.IsZero() && !now.Before(c.end) {
				e.finishLocked(c, true)
			}
		}
	}
	for _, a := range e.apps {
		if a.state == "RUNNING" && a.pending == 0 && len(a.running) == 1 && a.am != nil {
			e.finishLocked(a.am, true) // only the AM is left: the job is done
		}
	}
	if w := e.cfg.Workload; w != nil {
		unfinished := 0
		for _, a := range e.apps {
			if a.state == "ACCEPTED" || a.state == "RUNNING" {
				unfinished++
			}
		}
		for ; unfinished < w.Backlog; unfinished++ {
			s := w.App
			if len(w.Priorities) > 0 {
				s.Priority = w.Priorities[e.submitted%len(w.Priorities)]
			}
			s.Name = fmt.Sprintf("%s-%d", w.App.Name, e.submitted)
			e.submitted++
			e.submitLocked(s)
		}
	}
	e.scheduleLocked(now)
}

func (e *Emulator) scheduleLocked(now time.Time) {
	if !e.recoveredAt.IsZero() && e.cfg.SchedulingWait > 0 && now.Before(e.recoveredAt.Add(e.cfg.SchedulingWait)) {
		return // work-preserving recovery: no new containers until scheduling-wait-ms passed
	}
	order := make([]*app, 0, len(e.apps))
	for _, a := range e.apps {
		if a.state == "ACCEPTED" || a.state == "RUNNING" {
			order = append(order, a)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].spec.Priority > order[j].spec.Priority })
	nodes := e.sortedNodes()
	for _, a := range order {
		if a.am == nil {
			n := pickNode(nodes, a.spec.AMResource)
			if n == nil {
				continue
			}
			a.am = e.placeLocked(a, n, a.spec.AMResource, true, now)
			a.state, a.started = "RUNNING", now
		}
		for a.pending > 0 {
			n := pickNode(nodes, a.spec.Resource)
			if n == nil {
				break
			}
			e.placeLocked(a, n, a.spec.Resource, false, now)
			a.pending--
		}
	}
}

// pickNode returns the schedulable node with the most free memory that fits r, or nil.
func pickNode(nodes []*node, r Resource) *node {
	var best *node
	var bestFree int64
	for _, n := range nodes {
		if !n.schedulable() {
			continue
		}
		u := n.used()
		free := n.total.MemoryMB - u.MemoryMB
		if free < r.MemoryMB || n.total.VCores-u.VCores < r.VCores {
			continue
		}
		if best == nil || free > bestFree {
			best, bestFree = n, free
		}
	}
	return best
}

func (e *Emulator) placeLocked(a *app, n *node, r Resource, am bool, now time.Time) *container {
	c := &container{id: yarnclient.ContainerID{Epoch: e.epoch, ClusterTimestamp: a.id.ClusterTimestamp,
		AppSeq: a.id.Seq, Attempt: 1, Seq: a.nextSeq}, app: a, node: n, res: r, am: am, start: now}
	a.nextSeq++
	if !am {
		c.end = now.Add(a.spec.Duration)
	}
	n.containers[c.id.String()] = c
	a.running[c.id.String()] = c
	return c
}

// finishLocked removes a container. A task that did not complete is requested again (the
// framework re-runs it); an AM that dies takes its application and containers with it.
func (e *Emulator) finishLocked(c *container, completed bool) {
	id := c.id.String()
	if _, ok := c.node.containers[id]; !ok {
		return
	}
	delete(c.node.containers, id)
	delete(c.app.running, id)
	a := c.app
	switch {
	case c.am && completed:
		a.state = "FINISHED"
	case c.am:
		a.state = "FAILED"
		a.am = nil
		for _, other := range a.running {
			e.finishLocked(other, true)
		}
		a.pending = 0
	case completed:
		a.finished++
	default:
		if a.state == "RUNNING" || a.state == "ACCEPTED" {
			a.pending++
		}
	}
}

// KillContainer kills a running container (what the guarder or YARN preemption does). A killed
// task is re-requested by its application; a killed AM fails the application.
func (e *Emulator) KillContainer(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range e.nodes {
		if c, ok := n.containers[id]; ok {
			e.finishLocked(c, false)
			return nil
		}
	}
	return fmt.Errorf("rmemulator: no running container %s", id)
}

// RunWorkload calls Tick(time.Now()) every interval until ctx ends (for the demo).
func (e *Emulator) RunWorkload(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	e.Tick(time.Now())
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			e.Tick(now)
		}
	}
}

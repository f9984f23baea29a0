package rmemulator

import (
	"sort"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// Resource is the resource vector (memory MB, vCores).
type Resource = yarnclient.Resource

type node struct {
	id       string
	host     string
	rpcPort  int
	httpPort int
	rack     string
	state    yarnclient.NodeState
	// configured is the NM's own capacity (yarn-site.xml); total is what the RM schedules with;
	// nmTotal is what the NM process holds and registers with: configured, or a resize the RM
	// synced back in a heartbeat response (Hadoop 3.3).
	configured Resource
	total      Resource
	nmTotal    Resource
	// registered: the active RM knows the node. False after an RM restart or failover until
	// the NM registers again: the RM does not list it, though its containers keep running
	// (work-preserving recovery).
	registered bool
	labels     []string
	lastHealth time.Time
	// gen changes on every (re-)registration so a pending asynchronous resize from before is
	// dropped, as the RM forgets it.
	gen        int
	containers map[string]*container
}

func (n *node) used() Resource {
	var u Resource
	for _, c := range n.containers {
		u.MemoryMB += c.res.MemoryMB
		u.VCores += c.res.VCores
	}
	return u
}

// schedulable: the scheduler places nothing on DECOMMISSIONING (or any non-RUNNING) nodes and
// nothing on a node drained to zero.
func (n *node) schedulable() bool {
	return n.registered && n.state == yarnclient.NodeRunning && n.total.MemoryMB > 0 && n.total.VCores > 0
}

type container struct {
	id    yarnclient.ContainerID
	app   *app
	node  *node
	res   Resource
	am    bool
	start time.Time
	end   time.Time // zero: until killed (AMs live as long as their app)
}

type app struct {
	id        yarnclient.ApplicationID
	spec      AppSpec
	state     string // ACCEPTED, RUNNING, FINISHED, FAILED, KILLED
	submitted time.Time
	started   time.Time
	pending   int // task containers still to place
	finished  int
	nextSeq   int64
	am        *container
	running   map[string]*container
}

// NodeView is a snapshot of one node for tests.
type NodeView struct {
	ID            string
	Host          string
	RPCPort       int
	HTTPPort      int
	Rack          string
	State         yarnclient.NodeState
	Configured    Resource
	Total         Resource
	Used          Resource
	NumContainers int
	Labels        []string
	// NMTotal is what the NM process holds and would register with (Configured, or a resize
	// synced back in a heartbeat response).
	NMTotal Resource
	// Registered: the active RM knows the node (false in the gap after an RM restart or
	// failover, until the NM registers again).
	Registered bool
}

// ContainerView is a snapshot of one running container.
type ContainerView struct {
	ID            string
	ApplicationID string
	NodeID        string
	Resource      Resource
	AM            bool
	Priority      int
	Start         time.Time
	// End is when the container finishes by itself; zero for AMs (they end with their app).
	End time.Time
}

// AppView is a snapshot of one application.
type AppView struct {
	ID                string
	Name              string
	Queue             string
	User              string
	Type              string
	Priority          int
	State             string
	RunningContainers int
	Pending           int
	Allocated         Resource
}

func (n *node) view() NodeView {
	u := n.used()
	return NodeView{ID: n.id, Host: n.host, RPCPort: n.rpcPort, HTTPPort: n.httpPort, Rack: n.rack,
		State: n.state, Configured: n.configured, Total: n.total, Used: u,
		NumContainers: len(n.containers), Labels: append([]string(nil), n.labels...),
		NMTotal: n.nmTotal, Registered: n.registered}
}

func (c *container) view() ContainerView {
	return ContainerView{ID: c.id.String(), ApplicationID: c.app.id.String(), NodeID: c.node.id,
		Resource: c.res, AM: c.am, Priority: c.app.spec.Priority, Start: c.start, End: c.end}
}

func (a *app) view() AppView {
	v := AppView{ID: a.id.String(), Name: a.spec.Name, Queue: a.spec.Queue, User: a.spec.User,
		Type: a.spec.Type, Priority: a.spec.Priority, State: a.state,
		RunningContainers: len(a.running), Pending: a.pending}
	for _, c := range a.running {
		v.Allocated.MemoryMB += c.res.MemoryMB
		v.Allocated.VCores += c.res.VCores
	}
	return v
}

// Node returns a snapshot of the node.
func (e *Emulator) Node(id string) (NodeView, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok {
		return NodeView{}, false
	}
	return n.view(), true
}

// Nodes returns snapshots of all nodes, ordered by id.
func (e *Emulator) Nodes() []NodeView {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]NodeView, 0, len(e.nodes))
	for _, n := range e.sortedNodes() {
		out = append(out, n.view())
	}
	return out
}

// Containers returns running containers, on one node or (nodeID "") everywhere, by id.
func (e *Emulator) Containers(nodeID string) []ContainerView {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []ContainerView
	for _, n := range e.sortedNodes() {
		if nodeID != "" && n.id != nodeID {
			continue
		}
		for _, c := range n.containers {
			out = append(out, c.view())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Apps returns all applications in submission order.
func (e *Emulator) Apps() []AppView {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]AppView, 0, len(e.apps))
	for _, a := range e.apps {
		out = append(out, a.view())
	}
	return out
}

func (e *Emulator) sortedNodes() []*node {
	ns := make([]*node, 0, len(e.nodes))
	for _, n := range e.nodes {
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].id < ns[j].id })
	return ns
}

package rmemulator

import (
	"fmt"
	"net"
	"strconv"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// NodeSpec describes an NM registering with the RM.
type NodeSpec struct {
	// Host and RPCPort form the nodeId host:port (pin the RPC port, e.g. 8041).
	Host     string   `json:"host"`
	RPCPort  int      `json:"rpcPort"`
	HTTPPort int      `json:"httpPort"`
	Rack     string   `json:"rack,omitempty"`
	Capacity Resource `json:"capacity"`
	// Labels must exist in the cluster already.
	Labels []string `json:"labels,omitempty"`
}

// ID is the nodeId the spec registers as.
func (s NodeSpec) ID() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.RPCPort)) }

// RegisterNode registers an NM (state RUNNING, total = configured capacity). Registering a
// known node again is a re-registration (NM restart): its capacity goes back to the spec's.
func (e *Emulator) RegisterNode(s NodeSpec) (string, error) {
	if s.Host == "" || s.RPCPort <= 0 {
		return "", fmt.Errorf("rmemulator: node needs host and rpcPort")
	}
	if s.Rack == "" {
		s.Rack = "/default-rack"
	}
	if s.HTTPPort == 0 {
		s.HTTPPort = 8042
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range s.Labels {
		if _, ok := e.labels[l]; !ok {
			return "", fmt.Errorf("rmemulator: unknown label %q", l)
		}
	}
	id := s.ID()
	n, ok := e.nodes[id]
	if !ok {
		n = &node{id: id, containers: map[string]*container{}}
		e.nodes[id] = n
	}
	n.host, n.rpcPort, n.httpPort, n.rack = s.Host, s.RPCPort, s.HTTPPort, s.Rack
	n.configured = s.Capacity
	if s.Labels != nil {
		n.labels = append([]string(nil), s.Labels...)
	} else if l, ok := e.labelsForNewNodeLocked(id, s.Host); ok {
		n.labels = append([]string(nil), l...)
	}
	e.reregisterLocked(n)
	return id, nil
}

// ReRegisterNode simulates an NM process restart: the node comes back RUNNING with its
// configured capacity (a runtime resize lives only in the NM process and the RM, so it is
// forgotten either way). Its containers are lost with the NM process.
func (e *Emulator) ReRegisterNode(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok {
		return errNoNode
	}
	for _, c := range n.containers {
		e.finishLocked(c, false)
	}
	e.reregisterLocked(n)
	return nil
}

// reregisterLocked applies the RM side of an NM process (re-)start: configured capacity.
func (e *Emulator) reregisterLocked(n *node) {
	n.nmTotal = n.configured
	e.nmRegisterLocked(n)
}

// nmRegisterLocked is ResourceTrackerService.registerNodeManager: the RM takes the capability
// the NM sends (nmTotal), drops what it had pending for the node, and lists it RUNNING.
func (e *Emulator) nmRegisterLocked(n *node) {
	n.gen++
	n.total = n.nmTotal
	n.state = yarnclient.NodeRunning
	n.registered = true
	n.lastHealth = e.cfg.Now()
}

// SetNodeState forces a node state, e.g. DECOMMISSIONING (graceful decommission started),
// DECOMMISSIONED, LOST. A node leaving the active states loses its containers.
func (e *Emulator) SetNodeState(id string, state yarnclient.NodeState) error {
	valid := false
	for _, s := range yarnclient.AllNodeStates {
		valid = valid || s == state
	}
	if !valid {
		return fmt.Errorf("rmemulator: invalid state %q", state)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok {
		return errNoNode
	}
	n.state = state
	n.registered = true
	if !state.Active() {
		for _, c := range n.containers {
			e.finishLocked(c, false)
		}
		n.gen++ // pending resizes are dropped for a node that left
	}
	return nil
}

// UnregisterNode is an NM shutting down cleanly: state SHUTDOWN, still listed as inactive.
func (e *Emulator) UnregisterNode(id string) error {
	return e.SetNodeState(id, yarnclient.NodeShutdown)
}

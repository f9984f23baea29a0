package rmemulator

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// YARN's label name rule (CommonNodeLabelsManager).
var labelName = regexp.MustCompile(`^[0-9a-zA-Z][0-9a-zA-Z-_]*$`)

type labelSpec struct {
	name      string
	exclusive bool
}

// addLabels adds cluster labels; re-adding with the same exclusivity is a no-op, changing it is
// refused as in YARN.
func (e *Emulator) addLabels(ls []labelSpec) *remoteErr {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range ls {
		if len(l.name) > 255 || !labelName.MatchString(l.name) {
			return badRequest("label name should only contains {0-9, a-z, A-Z, -, _} and should not started with {-,_}, now it is= " + l.name)
		}
		if ex, ok := e.labels[l.name]; ok && ex != l.exclusive {
			return badRequest("Exclusivity cannot be modified for an existing label with : <" + l.name + ":exclusivity=" + strconv.FormatBool(ex) + ">")
		}
	}
	for _, l := range ls {
		e.labels[l.name] = l.exclusive
	}
	return nil
}

func (e *Emulator) removeLabels(names []string) *remoteErr {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(names) == 0 {
		return badRequest("No labels specified to remove")
	}
	for _, n := range names {
		if _, ok := e.labels[n]; !ok {
			return badRequest("Node label=" + n + " to be removed doesn't existed in cluster node labels collection.")
		}
	}
	for _, name := range names {
		delete(e.labels, name)
		for _, n := range e.nodes {
			n.labels = without(n.labels, name)
		}
	}
	return nil
}

// replaceNodeLabels sets a node's labels. nodeId "host:0" (or no port, for this endpoint only
// with port 0) means every NM on that host.
func (e *Emulator) replaceNodeLabels(nodeID string, labels []string) *remoteErr {
	e.mu.Lock()
	defer e.mu.Unlock()
	var clean []string
	for _, l := range labels {
		if l = strings.TrimSpace(l); l != "" {
			clean = append(clean, l)
		}
	}
	for _, l := range clean {
		if _, ok := e.labels[l]; !ok {
			return badRequest("Label " + l + " does not exist in the cluster node labels collection")
		}
	}
	targets, rerr := e.nodesForLabelID(nodeID)
	if rerr != nil {
		return rerr
	}
	for _, n := range targets {
		n.labels = append([]string(nil), clean...)
	}
	return nil
}

func (e *Emulator) nodesForLabelID(nodeID string) ([]*node, *remoteErr) {
	host, port, ok := strings.Cut(nodeID, ":")
	if !ok || host == "" {
		return nil, badRequest("Invalid NodeId [" + nodeID + "]. Expected host:port")
	}
	if _, err := strconv.Atoi(port); err != nil {
		return nil, badRequest("Invalid NodeId [" + nodeID + "]. Expected host:port")
	}
	if port == "0" {
		var out []*node
		for _, n := range e.sortedNodes() {
			if n.host == host {
				out = append(out, n)
			}
		}
		if len(out) == 0 {
			return nil, notFound("nodeId, " + nodeID + ", is not found")
		}
		return out, nil
	}
	n, ok := e.nodes[nodeID]
	if !ok {
		return nil, notFound("nodeId, " + nodeID + ", is not found")
	}
	return []*node{n}, nil
}

func without(xs []string, x string) []string {
	out := xs[:0:0]
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

package rmemulator

import (
	"regexp"
	"slices"
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
		for id, ls := range e.pendingLabels {
			e.pendingLabels[id] = without(ls, name)
		}
	}
	return nil
}

// replaceNodeLabels is RMWebServices.replaceLabelsOnNode(s) over CommonNodeLabelsManager:
// every entry is validated first (checkReplaceLabelsOnNode: at most one label per node,
// YARN-2694; every label known), then all are applied, so a bad entry changes nothing. The
// nodeId goes through ConverterUtils.toNodeIdWithDefaultPort: without a port it is host:0,
// every NM of the host. There is no check that the node exists: labels of a node the RM does
// not know yet are kept for when it registers. A label manager IOException is answered as
// BadRequestException(e), i.e. 400 with "java.io.IOException: <message>".
func (e *Emulator) replaceNodeLabels(entries []nodeLabels) *remoteErr {
	e.mu.Lock()
	defer e.mu.Unlock()
	type change struct {
		id     string
		labels []string
	}
	var changes []change
	for _, en := range entries {
		id, rerr := nodeIDWithDefaultPort(en.nodeID)
		if rerr != nil {
			return rerr
		}
		clean := cleanLabels(en.labels)
		host, _, _ := strings.Cut(id, ":")
		if len(clean) > 1 {
			return labelIOError(strconv.Itoa(len(clean)) + " labels specified on host=" + host +
				", please note that we do not support specifying multiple labels on a single host for now.")
		}
		for _, l := range clean {
			if _, ok := e.labels[l]; !ok {
				return labelIOError("Not all labels being replaced contained by known label collections, please check, new labels=[" +
					strings.Join(clean, ",") + "]")
			}
		}
		changes = append(changes, change{id, clean})
	}
	for _, c := range changes {
		e.setNodeLabelsLocked(c.id, c.labels)
	}
	return nil
}

// nodeLabels is one entry of a replace request.
type nodeLabels struct {
	nodeID string
	labels []string
}

// setNodeLabelsLocked applies labels to the node id, or to every NM of the host for host:0,
// and remembers them for nodes that register later.
func (e *Emulator) setNodeLabelsLocked(id string, labels []string) {
	e.pendingLabels[id] = labels
	host, port, _ := strings.Cut(id, ":")
	for _, n := range e.nodes {
		if n.id == id || (port == "0" && n.host == host) {
			n.labels = append([]string(nil), labels...)
		}
	}
}

// labelsForNewNodeLocked are the labels set earlier for a node that registers now: its own
// id first, then its host's host:0 entry.
func (e *Emulator) labelsForNewNodeLocked(id, host string) ([]string, bool) {
	if l, ok := e.pendingLabels[id]; ok {
		return l, true
	}
	l, ok := e.pendingLabels[host+":0"]
	return l, ok
}

func cleanLabels(labels []string) []string {
	var clean []string
	for _, l := range labels {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(clean, l) {
			clean = append(clean, l)
		}
	}
	return clean
}

// nodeIDWithDefaultPort is ConverterUtils.toNodeIdWithDefaultPort: "host" is host:0; a port
// that is not a number is a bad request.
func nodeIDWithDefaultPort(raw string) (string, *remoteErr) {
	host, port, ok := strings.Cut(raw, ":")
	if !ok {
		port = "0"
	}
	if host == "" {
		return "", badRequest("Invalid NodeId [" + raw + "]. Expected host:port")
	}
	if _, err := strconv.Atoi(port); err != nil {
		return "", badRequest("Invalid NodeId [" + raw + "]. Expected host:port")
	}
	return host + ":" + port, nil
}

// labelIOError is BadRequestException(IOException): the message is the cause's toString().
func labelIOError(msg string) *remoteErr {
	return badRequest("java.io.IOException: " + msg)
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

package rmemulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// serveCluster routes /ws/v1/cluster/... on the active RM (or cluster info on any RM).
func (e *Emulator) serveCluster(w http.ResponseWriter, r *http.Request, rm int, user string) {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, clusterPrefix), "/")
	parts := strings.Split(rest, "/")
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case rest == "" || rest == "info":
		if !get {
			methodNotAllowed(w)
			return
		}
		e.mu.Lock()
		body := e.clusterInfoJSON(rm)
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case rest == "nodes":
		if !get {
			methodNotAllowed(w)
			return
		}
		e.serveNodes(w, r)
	case parts[0] == "nodes" && len(parts) == 2:
		if !get {
			methodNotAllowed(w)
			return
		}
		e.serveNode(w, parts[1])
	case parts[0] == "nodes" && len(parts) == 3 && parts[2] == "resource" && !e.cfg.Pre33:
		if !post {
			methodNotAllowed(w)
			return
		}
		e.serveResize(w, r, parts[1])
	case parts[0] == "nodes" && len(parts) == 3 && parts[2] == "replace-labels":
		if !post {
			methodNotAllowed(w)
			return
		}
		if rerr := e.requireAdmin(user, "/nodes/nodeid/replace-labels"); rerr != nil {
			rerr.write(w)
			return
		}
		e.writeResult(w, e.replaceNodeLabels([]nodeLabels{{nodeID: unescape(parts[1]), labels: r.URL.Query()["labels"]}}))
	case rest == "get-node-labels" && get:
		e.mu.Lock()
		body := e.labelsJSON()
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
	case rest == "add-node-labels" && post:
		if rerr := e.requireAdmin(user, ".../add-node-labels "); rerr != nil {
			rerr.write(w)
			return
		}
		ls, rerr := decodeLabelBody(r.Body)
		if rerr != nil {
			rerr.write(w)
			return
		}
		e.writeResult(w, e.addLabels(ls))
	case rest == "remove-node-labels" && post:
		if rerr := e.requireAdmin(user, ".../remove-node-labels "); rerr != nil {
			rerr.write(w)
			return
		}
		e.writeResult(w, e.removeLabels(r.URL.Query()["labels"]))
	case rest == "replace-node-to-labels" && post:
		if rerr := e.requireAdmin(user, "/replace-node-to-labels"); rerr != nil {
			rerr.write(w)
			return
		}
		e.serveReplaceNodeToLabels(w, r)
	case rest == "apps" && get:
		e.serveApps(w, r)
	case rest == "metrics" && get:
		e.serveMetrics(w)
	default:
		writeNotFoundPage(w)
	}
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

func methodNotAllowed(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=iso-8859-1")
	w.WriteHeader(http.StatusMethodNotAllowed)
	_, _ = w.Write([]byte("<html><body><h2>HTTP ERROR 405</h2></body></html>\n"))
}

// writeResult answers a mutation: 200 with an empty body, or the RemoteException.
func (e *Emulator) writeResult(w http.ResponseWriter, rerr *remoteErr) {
	if rerr != nil {
		rerr.write(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// requireAdmin is the label manager's checkAccess (yarn.admin.acl); the message is
// RMWebServices' for the operation, e.g. "User bob not authorized for post to
// .../add-node-labels " (replace operations are written "..." + operation).
func (e *Emulator) requireAdmin(user, operation string) *remoteErr {
	if len(e.cfg.AdminUsers) == 0 {
		return nil
	}
	for _, a := range e.cfg.AdminUsers {
		if a == user {
			return nil
		}
	}
	if strings.HasPrefix(operation, "/") {
		operation = "..." + operation
	}
	return authorization("User " + user + " not authorized for post to " + operation)
}

func (e *Emulator) serveNodes(w http.ResponseWriter, r *http.Request) {
	var want map[yarnclient.NodeState]bool
	if raw := r.URL.Query().Get("states"); raw != "" {
		want = map[yarnclient.NodeState]bool{}
		for _, s := range strings.Split(raw, ",") {
			st := yarnclient.NodeState(strings.ToUpper(strings.TrimSpace(s)))
			valid := false
			for _, v := range yarnclient.AllNodeStates {
				valid = valid || v == st
			}
			if !valid {
				illegalArgument("No enum constant org.apache.hadoop.yarn.api.records.NodeState." + string(st)).write(w)
				return
			}
			want[st] = true
		}
	}
	e.mu.Lock()
	var list []map[string]any
	for _, n := range e.sortedNodes() {
		if n.registered && (want == nil || want[n.state]) {
			list = append(list, e.nodeJSON(n))
		}
	}
	e.mu.Unlock()
	if len(list) == 0 {
		// NodesInfo with an empty list renders as an empty object on 3.x.
		writeJSON(w, http.StatusOK, map[string]any{"nodes": map[string]any{}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"nodes": map[string]any{"node": list}})
}

// validNodeID applies the RM's NodeId.fromString rule: host:port with a numeric port.
func validNodeID(id string) *remoteErr {
	host, port, ok := strings.Cut(id, ":")
	if !ok || host == "" {
		return badRequest("Invalid NodeId [" + id + "]. Expected host:port")
	}
	if _, err := strconv.Atoi(port); err != nil {
		return badRequest("Invalid NodeId [" + id + "]. Expected host:port")
	}
	return nil
}

func (e *Emulator) serveNode(w http.ResponseWriter, rawID string) {
	id := unescape(rawID)
	if rerr := validNodeID(id); rerr != nil {
		rerr.write(w)
		return
	}
	e.mu.Lock()
	n, ok := e.nodes[id]
	ok = ok && n.registered
	var body map[string]any
	if ok {
		body = map[string]any{"node": e.nodeJSON(n)}
	}
	e.mu.Unlock()
	if !ok {
		notFound("nodeId, " + id + ", is not found").write(w)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) serveResize(w http.ResponseWriter, r *http.Request, rawID string) {
	id := unescape(rawID)
	if rerr := validNodeID(id); rerr != nil {
		rerr.write(w)
		return
	}
	var body struct {
		Resource *struct {
			Memory *int64 `json:"memory"`
			VCores *int64 `json:"vCores"`
		} `json:"resource"`
		OverCommitTimeout *int64 `json:"overCommitTimeout"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Resource == nil {
		badRequest("Invalid ResourceOptionInfo body").write(w)
		return
	}
	// Omitted fields become 0, as in Hadoop (hence the client always sends both).
	var res Resource
	if body.Resource.Memory != nil {
		res.MemoryMB = *body.Resource.Memory
	}
	if body.Resource.VCores != nil {
		res.VCores = *body.Resource.VCores
	}
	var timeout int64
	if body.OverCommitTimeout != nil {
		timeout = *body.OverCommitTimeout
	}
	old, rerr := e.updateNodeResource(id, res, timeout)
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"resourceInfo": map[string]any{"memory": old.MemoryMB, "vCores": old.VCores}})
}

// decodeLabelBody accepts {"nodeLabelInfo":[...]} or a single object, exclusivity as a bool or
// a string, as the RM's Jersey provider does.
func decodeLabelBody(body io.Reader) ([]labelSpec, *remoteErr) {
	var w struct {
		NodeLabelInfo json.RawMessage `json:"nodeLabelInfo"`
	}
	if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(&w); err != nil {
		return nil, badRequest("Invalid NodeLabelsInfo body")
	}
	type item struct {
		Name        string `json:"name"`
		Exclusivity any    `json:"exclusivity"`
	}
	var items []item
	if err := json.Unmarshal(w.NodeLabelInfo, &items); err != nil {
		var one item
		if err := json.Unmarshal(w.NodeLabelInfo, &one); err != nil {
			return nil, badRequest("Invalid NodeLabelsInfo body")
		}
		items = []item{one}
	}
	var out []labelSpec
	for _, it := range items {
		ex := true
		switch v := it.Exclusivity.(type) {
		case bool:
			ex = v
		case string:
			ex = !strings.EqualFold(v, "false")
		}
		out = append(out, labelSpec{name: it.Name, exclusive: ex})
	}
	return out, nil
}

func (e *Emulator) serveReplaceNodeToLabels(w http.ResponseWriter, r *http.Request) {
	var body struct {
		NodeToLabels []struct {
			NodeID string   `json:"nodeId"`
			Labels []string `json:"labels"`
		} `json:"nodeToLabels"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		badRequest("Invalid NodeToLabelsEntryList body").write(w)
		return
	}
	entries := make([]nodeLabels, 0, len(body.NodeToLabels))
	for _, nl := range body.NodeToLabels {
		entries = append(entries, nodeLabels{nodeID: nl.NodeID, labels: nl.Labels})
	}
	e.writeResult(w, e.replaceNodeLabels(entries))
}

var appStates = map[string]bool{"NEW": true, "NEW_SAVING": true, "SUBMITTED": true, "ACCEPTED": true,
	"RUNNING": true, "FINISHED": true, "FAILED": true, "KILLED": true}

func (e *Emulator) serveApps(w http.ResponseWriter, r *http.Request) {
	var want map[string]bool
	if raw := r.URL.Query().Get("states"); raw != "" {
		want = map[string]bool{}
		for _, s := range strings.Split(raw, ",") {
			s = strings.ToUpper(strings.TrimSpace(s))
			if !appStates[s] {
				badRequest("Invalid application-state " + s + " specified. It should be one of NEW, NEW_SAVING, SUBMITTED, ACCEPTED, RUNNING, FINISHED, FAILED, KILLED").write(w)
				return
			}
			want[s] = true
		}
	}
	e.mu.Lock()
	var list []map[string]any
	for _, a := range e.apps {
		if want == nil || want[a.state] {
			list = append(list, appJSON(a))
		}
	}
	e.mu.Unlock()
	if len(list) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"apps": nil})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"apps": map[string]any{"app": list}})
}

func (e *Emulator) serveMetrics(w http.ResponseWriter) {
	e.mu.Lock()
	var total, used Resource
	active, containers := 0, 0
	for _, n := range e.nodes {
		if !n.registered || !n.state.Active() {
			continue
		}
		active++
		containers += len(n.containers)
		u := n.used()
		total.MemoryMB += n.total.MemoryMB
		total.VCores += n.total.VCores
		used.MemoryMB += u.MemoryMB
		used.VCores += u.VCores
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"clusterMetrics": map[string]any{
		"totalMB": total.MemoryMB, "allocatedMB": used.MemoryMB, "availableMB": total.MemoryMB - used.MemoryMB,
		"totalVirtualCores": total.VCores, "allocatedVirtualCores": used.VCores,
		"availableVirtualCores": total.VCores - used.VCores, "containersAllocated": containers,
		"activeNodes": active}})
}

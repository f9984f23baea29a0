package yarnclient

import (
	"encoding/json"
	"fmt"
)

// The decoders below turn RM response bodies into the typed API. They are exported so that
// recorded bodies can be checked without a server, and they are fuzzed: whatever the input,
// they return a value or an error, never panic.

type wireResource struct {
	Memory flexInt `json:"memory"`
	VCores flexInt `json:"vCores"`
}

func (w *wireResource) typed() *Resource {
	if w == nil {
		return nil
	}
	return &Resource{MemoryMB: int64(w.Memory), VCores: int64(w.VCores)}
}

type wireNode struct {
	ID                    flexString           `json:"id"`
	Rack                  flexString           `json:"rack"`
	State                 flexString           `json:"state"`
	NodeHostName          flexString           `json:"nodeHostName"`
	NodeHTTPAddress       flexString           `json:"nodeHTTPAddress"`
	LastHealthUpdate      flexInt              `json:"lastHealthUpdate"`
	Version               flexString           `json:"version"`
	HealthReport          flexString           `json:"healthReport"`
	NumContainers         flexInt              `json:"numContainers"`
	UsedMemoryMB          flexInt              `json:"usedMemoryMB"`
	AvailMemoryMB         flexInt              `json:"availMemoryMB"`
	UsedVirtualCores      flexInt              `json:"usedVirtualCores"`
	AvailableVirtualCores flexInt              `json:"availableVirtualCores"`
	NodeLabels            flexList[flexString] `json:"nodeLabels"`
	TotalResource         *wireResource        `json:"totalResource"`
	UsedResource          *wireResource        `json:"usedResource"`
	AvailableResource     *wireResource        `json:"availableResource"`
}

func (w wireNode) typed() Node {
	n := Node{
		ID: string(w.ID), Rack: string(w.Rack), State: NodeState(w.State),
		NodeHostName: string(w.NodeHostName), NodeHTTPAddress: string(w.NodeHTTPAddress),
		LastHealthUpdate: int64(w.LastHealthUpdate), Version: string(w.Version),
		HealthReport: string(w.HealthReport), NumContainers: int64(w.NumContainers),
		UsedMemoryMB: int64(w.UsedMemoryMB), AvailMemoryMB: int64(w.AvailMemoryMB),
		UsedVCores: int64(w.UsedVirtualCores), AvailableVCores: int64(w.AvailableVirtualCores),
		TotalResource: w.TotalResource.typed(), UsedResource: w.UsedResource.typed(),
		AvailableResource: w.AvailableResource.typed(),
	}
	for _, l := range w.NodeLabels {
		if l != "" {
			n.NodeLabels = append(n.NodeLabels, string(l))
		}
	}
	return n
}

// DecodeNodes decodes GET /ws/v1/cluster/nodes: {"nodes":{"node":[...]}}, a single node object
// instead of a list, "nodes":null (no nodes) and a body without the "nodes" root.
func DecodeNodes(body []byte) ([]Node, error) {
	// The common shape, {"nodes":{"node":[...]}}, in one pass over the body; every other
	// shape fails this decode and takes the general path. At 10,000 NodeManagers the general
	// path's extra passes (the root's copy, then the list's own decode) were most of the
	// listing's CPU (BenchmarkListTenThousandNodes).
	var common struct {
		Nodes *struct {
			Node []wireNode `json:"node"`
		} `json:"nodes"`
	}
	if json.Unmarshal(body, &common) == nil && common.Nodes != nil {
		nodes := make([]Node, 0, len(common.Nodes.Node))
		for _, n := range common.Nodes.Node {
			nodes = append(nodes, n.typed())
		}
		return nodes, nil
	}
	return decodeNodesAnyShape(body)
}

// decodeNodesAnyShape is DecodeNodes for every shape Hadoop and proxies produce.
func decodeNodesAnyShape(body []byte) ([]Node, error) {
	inner, err := unwrapRoot(body, "nodes")
	if err != nil {
		return nil, fmt.Errorf("decode nodes: %w", err)
	}
	if isNull(inner) {
		return nil, nil
	}
	var w struct {
		Node flexList[wireNode] `json:"node"`
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return nil, fmt.Errorf("decode nodes: %w", err)
	}
	nodes := make([]Node, 0, len(w.Node))
	for _, n := range w.Node {
		nodes = append(nodes, n.typed())
	}
	return nodes, nil
}

// DecodeNode decodes GET /ws/v1/cluster/nodes/{id}: {"node":{...}} or the bare NodeInfo.
func DecodeNode(body []byte) (Node, error) {
	inner, err := unwrapRoot(body, "node")
	if err != nil {
		return Node{}, fmt.Errorf("decode node: %w", err)
	}
	var w wireNode
	if isNull(inner) {
		return Node{}, fmt.Errorf("decode node: empty body")
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return Node{}, fmt.Errorf("decode node: %w", err)
	}
	if w.ID == "" {
		return Node{}, fmt.Errorf("decode node: no id")
	}
	return w.typed(), nil
}

// DecodeClusterInfo decodes GET /ws/v1/cluster/info.
func DecodeClusterInfo(body []byte) (ClusterInfo, error) {
	inner, err := unwrapRoot(body, "clusterInfo")
	if err != nil {
		return ClusterInfo{}, fmt.Errorf("decode clusterInfo: %w", err)
	}
	var w struct {
		ID                          flexInt    `json:"id"`
		StartedOn                   flexInt    `json:"startedOn"`
		State                       flexString `json:"state"`
		HAState                     flexString `json:"haState"`
		RMStateStoreName            flexString `json:"rmStateStoreName"`
		ResourceManagerVersion      flexString `json:"resourceManagerVersion"`
		ResourceManagerBuildVersion flexString `json:"resourceManagerBuildVersion"`
		HadoopVersion               flexString `json:"hadoopVersion"`
		HAZooKeeperConnectionState  flexString `json:"haZooKeeperConnectionState"`
	}
	if isNull(inner) {
		return ClusterInfo{}, fmt.Errorf("decode clusterInfo: empty body")
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return ClusterInfo{}, fmt.Errorf("decode clusterInfo: %w", err)
	}
	return ClusterInfo{
		ID: int64(w.ID), StartedOn: int64(w.StartedOn), State: string(w.State),
		HAState: string(w.HAState), RMStateStoreName: string(w.RMStateStoreName),
		ResourceManagerVersion:      string(w.ResourceManagerVersion),
		ResourceManagerBuildVersion: string(w.ResourceManagerBuildVersion),
		HadoopVersion:               string(w.HadoopVersion),
		HAZooKeeperConnectionState:  string(w.HAZooKeeperConnectionState),
	}, nil
}

// DecodeResourceInfo decodes the answer of POST .../nodes/{id}/resource: {"resourceInfo":{...}}.
func DecodeResourceInfo(body []byte) (Resource, error) {
	inner, err := unwrapRoot(body, "resourceInfo")
	if err != nil {
		return Resource{}, fmt.Errorf("decode resourceInfo: %w", err)
	}
	var w wireResource
	if isNull(inner) {
		return Resource{}, nil
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return Resource{}, fmt.Errorf("decode resourceInfo: %w", err)
	}
	return *w.typed(), nil
}

type wireLabel struct {
	Name        flexString `json:"name"`
	Exclusivity *flexBool  `json:"exclusivity"`
}

// UnmarshalJSON also accepts a bare string: older RMs list labels as names only.
func (w *wireLabel) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err == nil {
		w.Name = s
		return nil
	}
	type plain wireLabel
	return json.Unmarshal(b, (*plain)(w))
}

// DecodeNodeLabels decodes GET /ws/v1/cluster/get-node-labels in all shapes seen across
// versions: {"nodeLabelsInfo":{"nodeLabelInfo":[...]}}, {"nodeLabelInfo":[...]}, a single
// {"nodeLabelInfo":{...}}, exclusivity as "true"/"false" strings, and the old
// {"nodeLabels":["a","b"]} / {"nodeLabels":"a"} name lists. Exclusivity defaults to true, as
// in YARN.
func DecodeNodeLabels(body []byte) ([]NodeLabel, error) {
	inner, err := unwrapRoot(body, "nodeLabelsInfo")
	if err != nil {
		return nil, fmt.Errorf("decode node labels: %w", err)
	}
	if isNull(inner) {
		return nil, nil
	}
	var w struct {
		NodeLabelInfo flexList[wireLabel] `json:"nodeLabelInfo"`
		NodeLabels    flexList[wireLabel] `json:"nodeLabels"`
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return nil, fmt.Errorf("decode node labels: %w", err)
	}
	all := append(w.NodeLabelInfo, w.NodeLabels...)
	labels := make([]NodeLabel, 0, len(all))
	for _, l := range all {
		if l.Name == "" {
			continue
		}
		exclusive := true
		if l.Exclusivity != nil {
			exclusive = bool(*l.Exclusivity)
		}
		labels = append(labels, NodeLabel{Name: string(l.Name), Exclusive: exclusive})
	}
	return labels, nil
}

// DecodeApps decodes GET /ws/v1/cluster/apps: {"apps":{"app":[...]}}, "apps":null, a single
// app object; the id may be under "id" or "applicationId".
func DecodeApps(body []byte) ([]App, error) {
	inner, err := unwrapRoot(body, "apps")
	if err != nil {
		return nil, fmt.Errorf("decode apps: %w", err)
	}
	if isNull(inner) {
		return nil, nil
	}
	var w struct {
		App flexList[struct {
			ID                flexString `json:"id"`
			ApplicationID     flexString `json:"applicationId"`
			Name              flexString `json:"name"`
			User              flexString `json:"user"`
			Queue             flexString `json:"queue"`
			State             flexString `json:"state"`
			ApplicationType   flexString `json:"applicationType"`
			Priority          flexInt    `json:"priority"`
			AllocatedMB       flexInt    `json:"allocatedMB"`
			AllocatedVCores   flexInt    `json:"allocatedVCores"`
			RunningContainers flexInt    `json:"runningContainers"`
			StartedTime       flexInt    `json:"startedTime"`
		}] `json:"app"`
	}
	if err := json.Unmarshal(inner, &w); err != nil {
		return nil, fmt.Errorf("decode apps: %w", err)
	}
	apps := make([]App, 0, len(w.App))
	for _, a := range w.App {
		id := string(a.ID)
		if id == "" {
			id = string(a.ApplicationID)
		}
		apps = append(apps, App{ID: id, Name: string(a.Name), User: string(a.User),
			Queue: string(a.Queue), State: string(a.State), ApplicationType: string(a.ApplicationType),
			Priority: int64(a.Priority), AllocatedMB: int64(a.AllocatedMB),
			AllocatedVCores: int64(a.AllocatedVCores), RunningContainers: int64(a.RunningContainers),
			StartedTime: int64(a.StartedTime)})
	}
	return apps, nil
}

// RemoteException is the RM's JSON error body.
type RemoteException struct {
	Exception     string
	Message       string
	JavaClassName string
}

// DecodeRemoteException returns the RemoteException in body, or false when body is not one
// (an HTML page, a plain 404, an empty body).
func DecodeRemoteException(body []byte) (RemoteException, bool) {
	var w struct {
		RE *struct {
			Exception     flexString `json:"exception"`
			Message       flexString `json:"message"`
			JavaClassName flexString `json:"javaClassName"`
		} `json:"RemoteException"`
	}
	if err := json.Unmarshal(body, &w); err != nil || w.RE == nil {
		return RemoteException{}, false
	}
	if w.RE.Exception == "" && w.RE.JavaClassName == "" && w.RE.Message == "" {
		return RemoteException{}, false
	}
	return RemoteException{Exception: string(w.RE.Exception), Message: string(w.RE.Message),
		JavaClassName: string(w.RE.JavaClassName)}, true
}

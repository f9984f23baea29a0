package rmemulator

import (
	"maps"
	"slices"
	"strconv"
)

// These render the RM's JSON shapes (JAXB/Jersey names and quirks of Hadoop 3.3).

func (e *Emulator) nodeJSON(n *node) map[string]any {
	u := n.used()
	httpAddr := n.host + ":" + strconv.Itoa(n.httpPort)
	if !n.state.Active() {
		httpAddr = "" // inactive nodes have no HTTP address in the RM's answer
	}
	labels := n.labels
	if labels == nil {
		labels = []string{}
	}
	m := map[string]any{
		"rack": n.rack, "state": string(n.state), "id": n.id, "nodeHostName": n.host,
		"nodeHTTPAddress": httpAddr, "lastHealthUpdate": n.lastHealth.UnixMilli(),
		"version": e.cfg.Version, "healthReport": "", "numContainers": len(n.containers),
		"usedMemoryMB": u.MemoryMB, "availMemoryMB": max(n.total.MemoryMB-u.MemoryMB, 0),
		"usedVirtualCores": u.VCores, "availableVirtualCores": max(n.total.VCores-u.VCores, 0),
		"numRunningOpportContainers": 0, "usedMemoryOpportGB": 0, "usedVirtualCoresOpport": 0,
		"numQueuedContainers": 0, "nodeLabels": labels,
		"resourceUtilization": map[string]any{"nodePhysicalMemoryMB": 0, "nodeVirtualMemoryMB": 0,
			"nodeCPUUsage": 0.0, "aggregatedContainersPhysicalMemoryMB": 0,
			"aggregatedContainersVirtualMemoryMB": 0, "containersCPUUsage": 0.0},
	}
	if !e.cfg.Pre33 {
		m["totalResource"] = resourceJSON(n.total)
		m["usedResource"] = resourceJSON(u)
		// The RM reports availability as total-used, floored at zero per dimension.
		m["availableResource"] = resourceJSON(Resource{MemoryMB: max(n.total.MemoryMB-u.MemoryMB, 0), VCores: max(n.total.VCores-u.VCores, 0)})
	}
	return m
}

func resourceJSON(r Resource) map[string]any {
	return map[string]any{"memory": r.MemoryMB, "vCores": r.VCores,
		"resourceInformations": map[string]any{"resourceInformation": []map[string]any{
			{"name": "memory-mb", "units": "Mi", "value": r.MemoryMB, "resourceType": "COUNTABLE", "minimumAllocation": 1024, "maximumAllocation": 8192},
			{"name": "vcores", "units": "", "value": r.VCores, "resourceType": "COUNTABLE", "minimumAllocation": 1, "maximumAllocation": 4},
		}}}
}

func (e *Emulator) clusterInfoJSON(rm int) map[string]any {
	ha := "STANDBY"
	if e.active == rm {
		ha = "ACTIVE"
	}
	return map[string]any{"clusterInfo": map[string]any{
		"id": e.cfg.ClusterTimestamp, "startedOn": e.cfg.ClusterTimestamp, "state": "STARTED",
		"haState": ha, "rmStateStoreName": "org.apache.hadoop.yarn.server.resourcemanager.recovery.ZKRMStateStore",
		"resourceManagerVersion":        e.cfg.Version,
		"resourceManagerBuildVersion":   e.cfg.Version + " from emulator",
		"resourceManagerVersionBuiltOn": "emulator", "hadoopVersion": e.cfg.Version,
		"hadoopBuildVersion": e.cfg.Version + " from emulator", "hadoopVersionBuiltOn": "emulator",
		"haZooKeeperConnectionState": "CONNECTED"}}
}

// labelsJSON mimics Hadoop 3.3's Jersey 1 mapped notation for NodeLabelsInfo: no root element,
// a single label as an object instead of a one-element list, exclusivity as a string.
func (e *Emulator) labelsJSON() map[string]any {
	var infos []map[string]any
	for _, name := range slices.Sorted(maps.Keys(e.labels)) {
		infos = append(infos, map[string]any{"name": name, "exclusivity": strconv.FormatBool(e.labels[name])})
	}
	switch len(infos) {
	case 0:
		return map[string]any{}
	case 1:
		return map[string]any{"nodeLabelInfo": infos[0]}
	}
	return map[string]any{"nodeLabelInfo": infos}
}

func appJSON(a *app) map[string]any {
	v := a.view()
	return map[string]any{"id": v.ID, "user": v.User, "name": v.Name, "queue": v.Queue,
		"state": v.State, "finalStatus": "UNDEFINED", "applicationType": v.Type,
		"priority": v.Priority, "allocatedMB": v.Allocated.MemoryMB,
		"allocatedVCores": v.Allocated.VCores, "runningContainers": v.RunningContainers,
		"startedTime": a.started.UnixMilli()}
}

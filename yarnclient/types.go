package yarnclient

// NodeState is a YARN NodeManager state as the RM reports it.
type NodeState string

// Node states (org.apache.hadoop.yarn.api.records.NodeState).
const (
	NodeNew             NodeState = "NEW"
	NodeRunning         NodeState = "RUNNING"
	NodeUnhealthy       NodeState = "UNHEALTHY"
	NodeDecommissioned  NodeState = "DECOMMISSIONED"
	NodeLost            NodeState = "LOST"
	NodeRebooted        NodeState = "REBOOTED"
	NodeDecommissioning NodeState = "DECOMMISSIONING"
	NodeShutdown        NodeState = "SHUTDOWN"
)

// AllNodeStates lists every valid state, in the RM's order.
var AllNodeStates = []NodeState{NodeNew, NodeRunning, NodeUnhealthy, NodeDecommissioned,
	NodeLost, NodeRebooted, NodeDecommissioning, NodeShutdown}

// Active reports whether the RM still tracks the node as a live NM (it can take resource updates).
func (s NodeState) Active() bool {
	switch s {
	case NodeNew, NodeRunning, NodeUnhealthy, NodeDecommissioning:
		return true
	}
	return false
}

// Resource is a YARN resource vector restricted to what this project changes.
type Resource struct {
	MemoryMB int64 `json:"memory"`
	VCores   int64 `json:"vCores"`
}

// Node is the RM's view of one NodeManager (NodeInfo).
type Node struct {
	ID               string
	Rack             string
	State            NodeState
	NodeHostName     string
	NodeHTTPAddress  string
	LastHealthUpdate int64 // epoch milliseconds
	Version          string
	HealthReport     string
	NumContainers    int64
	UsedMemoryMB     int64
	AvailMemoryMB    int64
	UsedVCores       int64
	AvailableVCores  int64
	NodeLabels       []string
	// TotalResource, UsedResource and AvailableResource exist from Hadoop 3.3; they are nil when
	// an older RM omits them.
	TotalResource     *Resource
	UsedResource      *Resource
	AvailableResource *Resource
}

// ClusterInfo is the RM's /ws/v1/cluster/info answer.
type ClusterInfo struct {
	ID                          int64
	StartedOn                   int64
	State                       string
	HAState                     string // ACTIVE, STANDBY, INITIALIZING, STOPPED
	RMStateStoreName            string
	ResourceManagerVersion      string
	ResourceManagerBuildVersion string
	HadoopVersion               string
	HAZooKeeperConnectionState  string
}

// NodeLabel is a cluster node label (partition).
type NodeLabel struct {
	Name string
	// Exclusive partitions only run containers that ask for them; non-exclusive ones lend idle
	// capacity to DEFAULT requests.
	Exclusive bool
}

// App is a YARN application as listed by /ws/v1/cluster/apps.
type App struct {
	ID                string
	Name              string
	User              string
	Queue             string
	State             string
	ApplicationType   string
	Priority          int64
	AllocatedMB       int64
	AllocatedVCores   int64
	RunningContainers int64
	StartedTime       int64
}

package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// DecommissionStrategy says how a NodeManager leaves YARN.
// +kubebuilder:validation:Enum=Drain;YarnGraceful
type DecommissionStrategy string

const (
	// DecommissionDrain sets the node's RM capacity to zero (nothing new is placed), asks the
	// guarder to shed gracefully after shedAfter, and deletes the pod when the node has no
	// containers or the timeout passes. REST only; needs Hadoop >= 3.3.
	DecommissionDrain DecommissionStrategy = "Drain"
	// DecommissionYarnGraceful adds the host to the RM exclude file and runs
	// `yarn rmadmin -refreshNodes -g <timeout> -server` in a Job; the RM waits for running
	// applications (WAIT_APP), and Spark >= 3.4 decommissions its executors by itself.
	DecommissionYarnGraceful DecommissionStrategy = "YarnGraceful"
)

// DeletionPolicy says what happens to running NodeManagers when the pool is deleted.
// +kubebuilder:validation:Enum=Drain;Immediate
type DeletionPolicy string

const (
	DeletionDrain     DeletionPolicy = "Drain"
	DeletionImmediate DeletionPolicy = "Immediate"
)

// DecommissionSpec is how NodeManagers leave YARN.
// +kubebuilder:validation:XValidation:rule="!has(self.strategy) || self.strategy != 'YarnGraceful' || has(self.excludeFile)",message="excludeFile is required for strategy YarnGraceful: it must be the file named by yarn.resourcemanager.nodes.exclude-path"
// +kubebuilder:validation:XValidation:rule="!has(self.shedAfter) || !has(self.timeout) || duration(self.shedAfter) <= duration(self.timeout)",message="shedAfter must not be later than timeout"
type DecommissionSpec struct {
	// strategy of decommission.
	// +kubebuilder:default=Drain
	// +optional
	Strategy DecommissionStrategy `json:"strategy,omitempty"`

	// timeout after which a draining NodeManager is stopped whatever still runs on it.
	// In Scheduled mode the window's drainDuration applies instead.
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('0s') && duration(self) <= duration('48h')",message="timeout must be between 0s and 48h"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// shedAfter is how long into a Drain the guarder is asked to shed running containers
	// gracefully (SIGPWR to Spark executors that handle it), so the drain ends before the
	// timeout without force-kills.
	// +kubebuilder:default="30m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +optional
	ShedAfter *metav1.Duration `json:"shedAfter,omitempty"`

	// excludeFile is yarn.resourcemanager.nodes.exclude-path as the decommission Job sees
	// it (a local path on a mounted volume or an hdfs:// URL); YarnGraceful only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	ExcludeFile string `json:"excludeFile,omitempty"`

	// onDelete says whether deleting the pool drains its NodeManagers or stops them at once.
	// +kubebuilder:default=Drain
	// +optional
	OnDelete DeletionPolicy `json:"onDelete,omitempty"`
}

// SignalPolicy is how the guarder asks a container to leave.
// +kubebuilder:validation:Enum=Graceful;TermOnly
type SignalPolicy string

const (
	// SignalGraceful sends SIGPWR to JVMs that handle it (Spark decommission) and SIGTERM to
	// the container's process group otherwise.
	SignalGraceful SignalPolicy = "Graceful"
	// SignalTermOnly always sends SIGTERM to the process group.
	SignalTermOnly SignalPolicy = "TermOnly"
)

// ContainerIdentification is how the guarder ties processes to YARN containers; it decides
// which capabilities the sidecar needs.
// +kubebuilder:validation:Enum=Cgroup;ProcessInspection
type ContainerIdentification string

const (
	// IdentifyByCgroup: YARN containers run in cgroups named after them (LinuxContainerExecutor
	// with a cgroups resource handler, cgroup v1 or v2). /proc/<pid>/cgroup, cmdline, stat and
	// status are readable without privilege, so the sidecar holds CAP_KILL only.
	IdentifyByCgroup ContainerIdentification = "Cgroup"
	// IdentifyByProcessInspection: no container cgroups (DefaultContainerExecutor, or LCE
	// without a cgroups handler). The guarder reads other users' /proc/<pid>/environ and cwd,
	// which needs CAP_SYS_PTRACE as well.
	IdentifyByProcessInspection ContainerIdentification = "ProcessInspection"
)

// GuarderSpec configures the guarder sidecar of every NodeManager pod.
type GuarderSpec struct {
	// enabled adds the sidecar. Without it shrinks only stop new containers.
	// +kubebuilder:default=true
	// +optional
	Enabled *bool `json:"enabled,omitempty"`

	// image of the guarder; the operator's configured default when empty.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Image string `json:"image,omitempty"`

	// port of the guarder's authenticated HTTP API.
	// +kubebuilder:default=9810
	// +kubebuilder:validation:Minimum=1024
	// +kubebuilder:validation:Maximum=65535
	// +optional
	Port int32 `json:"port,omitempty"`

	// gracePeriod after a graceful signal before the container's process group is killed.
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1s') && duration(self) <= duration('2h')",message="gracePeriod must be between 1s and 2h"
	// +optional
	GracePeriod *metav1.Duration `json:"gracePeriod,omitempty"`

	// signalPolicy for graceful shedding.
	// +kubebuilder:default=Graceful
	// +optional
	SignalPolicy SignalPolicy `json:"signalPolicy,omitempty"`

	// dryRun makes the guarder decide and report without signalling anything.
	// +optional
	DryRun bool `json:"dryRun,omitempty"`

	// containerIdentification: Cgroup (LinuxContainerExecutor with cgroups, the setup in
	// docs/operations.md) lets the sidecar drop CAP_SYS_PTRACE; ProcessInspection keeps it,
	// with what that exposes (see docs/operations.md).
	// +kubebuilder:default=Cgroup
	// +optional
	ContainerIdentification ContainerIdentification `json:"containerIdentification,omitempty"`

	// koordletContainerEviction makes the guarder Koordinator's node agent for YARN container
	// eviction (koordlet --evict-by-copilot-agent): koordlet's CPU and memory evictions then
	// shed containers through the guarder instead of evicting the NodeManager pod. The pods get
	// koordlet's default NodeManager label (app.kubernetes.io/component=node-manager) and a
	// hostPath mount of /var/run/yarn-copilot for its socket. See docs/operations.md.
	// +optional
	KoordletContainerEviction bool `json:"koordletContainerEviction,omitempty"`
}

// ShedOrder is the order in which running work is shed when a node is overloaded.
// +kubebuilder:validation:Enum=ApplicationPriority;GuarderRanking
type ShedOrder string

const (
	// ShedByApplicationPriority sheds the lowest YARN application priority first.
	ShedByApplicationPriority ShedOrder = "ApplicationPriority"
	// ShedByGuarderRanking uses only the guarder's ranking (framework, runtime, resources).
	ShedByGuarderRanking ShedOrder = "GuarderRanking"
)

// NodeSafetySpec is a second line of defence behind Koordinator: when a node's total CPU
// use stays high, stop offering capacity there and, if it does not recover, shed work.
type NodeSafetySpec struct {
	// enabled turns the backoff on.
	// +kubebuilder:default=true
	// +optional
	Enabled *bool `json:"enabled,omitempty"`

	// cpuThresholdPercent of the node's total CPU above which the pool stops offering new
	// capacity on that node.
	// +kubebuilder:default=90
	// +kubebuilder:validation:Minimum=50
	// +kubebuilder:validation:Maximum=100
	// +optional
	CPUThresholdPercent int32 `json:"cpuThresholdPercent,omitempty"`

	// shedAfter: a node still above the threshold this long after the backoff sheds work.
	// +kubebuilder:default="5m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +optional
	ShedAfter *metav1.Duration `json:"shedAfter,omitempty"`

	// shedOrder for the work that is shed.
	// +kubebuilder:default=ApplicationPriority
	// +optional
	ShedOrder ShedOrder `json:"shedOrder,omitempty"`
}

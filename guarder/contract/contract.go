// Package contract is the versioned contract between the operator and the guarder sidecar.
//
// A NodeManager pod runs whatever guarder image its pool names (spec.guarder.image may pin an
// old one), so the operator must work with guarders older than itself:
//   - It passes only flags that every guarder since contract 1 accepts (Contract1Flags): Go's
//     flag package exits on an unknown flag ("flag provided but not defined"), which would
//     crash-loop the sidecar and silently stop all shedding.
//   - Newer settings travel in environment variables (EnvSignalPolicy, ...), which an older
//     guarder ignores instead of failing.
//   - The operator reads GET /version (unauthenticated, like /readyz) before relying on a
//     setting: a guarder without the matching capability, or without /version at all
//     (contract 1), is reported on the ElasticNodeManager (condition GuardersReady, an Event,
//     a metric) instead of being trusted.
//
// The package is shared by both sides and has no dependencies, so the sidecar does not import
// the operator's API.
package contract

import (
	"runtime/debug"
	"slices"
)

// Current is the contract level this guarder implements. Contract 1 guarders have no
// /version endpoint.
const Current = 2

// Capabilities a guarder reports. Each names a setting or behaviour the operator may rely on
// only when the guarder lists it.
const (
	// CapabilitySignalPolicy: the guarder reads EnvSignalPolicy (Graceful|TermOnly). A guarder
	// without it always behaves as Graceful.
	CapabilitySignalPolicy = "signalPolicy"
	// CapabilityProcessTrees: discovery follows the LinuxContainerExecutor and
	// DefaultContainerExecutor process trees of Hadoop 3 (sessions, launch chain), so group
	// signals never reach the NodeManager. Older guarders signal the NM's process group when a
	// container-executor parent is alive.
	CapabilityProcessTrees = "processTrees"
	// CapabilityNodeManagerSPNEGO: the guarder authenticates to the NM web endpoint with
	// SPNEGO when EnvNodeManagerPrincipal is set. Without it a Kerberos NM answers 401 and the
	// guarder sheds nothing.
	CapabilityNodeManagerSPNEGO = "nodeManagerSPNEGO"
	// CapabilityKoordletContainerEviction: the guarder serves koordlet's container-eviction
	// requests on EnvKoordletSocket (package guarder/koordlet).
	CapabilityKoordletContainerEviction = "koordletContainerEviction"
)

// Supported is what this build of the guarder can do.
var Supported = []string{CapabilitySignalPolicy, CapabilityProcessTrees, CapabilityNodeManagerSPNEGO,
	CapabilityKoordletContainerEviction}

// Environment variables the operator sets (settings newer than contract 1).
const (
	// EnvSignalPolicy carries spec.guarder.signalPolicy.
	EnvSignalPolicy = "ELASTIC_YARN_GUARDER_SIGNAL_POLICY"
	// EnvNodeManagerPrincipal is the NM's HTTP/<fqdn>@REALM principal: the guarder logs in
	// with it and asks for a ticket to the same service (the NM's web endpoint).
	EnvNodeManagerPrincipal = "ELASTIC_YARN_GUARDER_NM_PRINCIPAL"
	// EnvNodeManagerKeytab is the path of the keytab holding that principal.
	EnvNodeManagerKeytab = "ELASTIC_YARN_GUARDER_NM_KEYTAB"
	// EnvKrb5Config is the standard variable naming krb5.conf.
	EnvKrb5Config = "KRB5_CONFIG"
	// EnvKoordletSocket is the unix socket to serve koordlet's container evictions on.
	EnvKoordletSocket = "ELASTIC_YARN_GUARDER_KOORDLET_SOCKET"
)

// DefaultKoordletSocket is koordlet's default --evict-by-copilot-endpoint on the host
// (package guarder/koordlet).
const DefaultKoordletSocket = "/var/run/yarn-copilot/yarn-copilot.sock"

// VersionPath is the unauthenticated endpoint that reports Info.
const VersionPath = "/version"

// Info is the body of GET /version.
type Info struct {
	// Version is the guarder's build version (module version, or "(devel)").
	Version string `json:"version"`
	// Contract is the contract level; 1 when the guarder has no /version endpoint.
	Contract int `json:"contract"`
	// Capabilities the guarder supports.
	Capabilities []string `json:"capabilities"`
	// Settings in force, by capability name (e.g. "signalPolicy": "TermOnly"), for humans and
	// for checking that a setting arrived.
	Settings map[string]string `json:"settings,omitempty"`
}

// Contract1Info is what a guarder without /version is taken to be.
var Contract1Info = Info{Version: "unknown", Contract: 1, Capabilities: []string{}}

// Has reports whether the guarder supports capability c.
func (i Info) Has(c string) bool { return slices.Contains(i.Capabilities, c) }

// Missing returns the capabilities of need that i lacks, in need's order.
func (i Info) Missing(need []string) []string {
	var out []string
	for _, c := range need {
		if !i.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Contract1Flags are the command-line flags of every contract-1 guarder (the guarder as of
// commit 4d1dae3^, before --signal-policy). The operator passes no flag outside this list.
var Contract1Flags = []string{
	"listen-address", "token-file", "proc-root", "cgroup-hierarchy", "nm-url", "grace-period",
	"scan-interval", "dry-run", "v", "weight-graceful", "weight-youth", "weight-relief",
	"youth-half-life", "safety-net", "koordlet-url", "node-name", "be-request-cpu-cores",
	"safety-net-interval", "cpu-evict-be-satisfaction-lower-percent",
	"cpu-evict-be-usage-threshold-percent", "memory-evict-threshold-percent",
	"safety-net-margin-percent",
}

// BuildVersion is this binary's module version from the build info.
func BuildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

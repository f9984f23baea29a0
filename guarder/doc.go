// Package guarder is the NodeManager sidecar that brings an NM's running YARN containers under
// a target (vcores, memory) with the least lost work: graceful signals first, force-kill last.
//
// The operator first lowers the node's capacity in the ResourceManager (so nothing new is
// placed), then posts the same target here. Sub-packages, one idea each:
//
//	discovery   find containers in /proc: processes, wrapper vs JVM, framework, SIGPWR handler
//	selection   pure decision: which containers to remove (the order is documented there)
//	signaller   the action: SIGPWR / SIGTERM / SIGKILL with identity re-verification (pidfd)
//	worker      the loop: scan, ask the NM for allocations, decide, act, escalate
//	api         the authenticated HTTP API, metrics and probes
//	safetynet   optional: shed before Koordinator's eviction fires (off by default)
//	koordlet    optional: Koordinator's container-level eviction agent (unix socket)
//	contract    the versioned contract with the operator (GET /version, capabilities)
//
// # Selection order
//
// Containers already leaving count as removed. Then, one pick at a time: ordinary containers
// before streaming jobs before ApplicationMasters; lower YARN application priority first (YARN:
// higher integer = more important, default 0; "debug > P3 > P2 > P1" maps to 0 < 1 < 2 < 3);
// then the highest weighted score of graceful-capable, young, and holding the short resource
// (selection.Weights, configurable by flags). Unneeded picks are dropped at the end.
//
// An ApplicationMaster that is chosen while other containers of its application remain on the
// node is held back (selection.Stage; reported as heldAMs): killing it would fail the whole
// application, tasks included. It is signalled in a later cycle once its tasks have left, or
// when the target's deadline minus the grace period arrives.
//
// # Signal policy
//
// A JVM with a SIGPWR handler (SigCgt bit 29 in /proc/<pid>/status; Spark with
// spark.decommission.enabled) gets SIGPWR, to the JVM only, never to the process group: the bash
// wrapper would die and the NM would tear the container down. Any other container gets SIGTERM
// to the process group of the session YARN created for it (what YARN itself does, kill(-pid)),
// so shutdown hooks run; SIGPWR would kill a JVM without a handler at once. The group is used
// only when every live process in it belongs to the container; otherwise each verified
// process gets the signal. The NM's launch chain (container-executor's waiting parent, the
// DefaultContainerExecutor wrapper scripts) shares the NM's process group and is never
// signalled: see package discovery for the process trees Hadoop builds. With -signal-policy=TermOnly (spec.guarder.signalPolicy) nothing
// ever gets SIGPWR: every container gets SIGTERM to its group, and selection stops preferring
// SIGPWR-capable containers, since they no longer leave without lost work. After the grace
// period (or the target's earlier deadline), whatever is left gets SIGKILL (the group on the
// same condition, and each verified member), whatever the policy. Containers whose processes
// are out of reach (YARN's Docker runtime: another PID namespace) are reported in the plan's
// "unreachable" list and in elastic_yarn_guarder_unreachable_containers{reason}, never guessed at. Before every signal, the target's identity (pid,
// start time, container id) is re-verified; with pidfd the check and the signal refer to the
// same process for certain.
//
// # Capabilities
//
// The sidecar sees the NM's processes only with shareProcessNamespace: true on the pod. It must
// run as the UID of the container processes (the NM's, or the YARN user with
// LinuxContainerExecutor) or hold CAP_KILL (to signal other users' processes). CAP_SYS_PTRACE
// is needed only where no cgroup path names the containers (spec.guarder.containerIdentification:
// ProcessInspection), to read other users' /proc/<pid>/environ and cwd; in a shared PID
// namespace it also opens the NodeManager's /proc/<pid>/root, its keytab included. cmdline,
// stat, status and cgroup are world-readable. Nothing else: no host PID namespace, no
// privileged mode, seccomp RuntimeDefault.
//
// # HTTP API
//
// All /v1 paths need "Authorization: Bearer <token>", the token being the content of the file
// given by -token-file (a mounted Secret; re-read when it changes; compared in constant time).
// /healthz, /readyz, /version and /metrics are open. GET /version answers
// {"version", "contract", "capabilities", "settings"} (package contract). Errors are JSON: {"error":{"code","message"}} with
// 400 invalid_request, 401 unauthorized, 404 not_found, 413 body_too_large (over 64 KiB),
// 415 unsupported_media_type, 503 cycle_failed/not_ready. A rejected request changes nothing.
//
//	POST /v1/target
//	  {"vcores": 6, "memoryMB": 12288, "reason": "resident shrink",
//	   "deadline": "2026-11-21T08:00:00Z" | 300,     (optional: RFC 3339, or seconds from now)
//	   "dryRun": false,                              (optional: decide and report only)
//	   "appPriorities": {"application_1410901177871_0001": 3}}   (optional)
//	  Limits: vcores 0..100000, memoryMB 0..67108864, reason 1..256 characters without control
//	  characters, deadline within [now-5m, now+7d], at most 10000 priorities in
//	  [-1000000, 1000000]. Unknown or differently-cased fields and trailing data are rejected.
//	  200 {"accepted": true, "dryRun": false, "report": PlanReport}
//	  The target is stored (unless dryRun) and a cycle runs at once; the loop repeats it every
//	  scan interval until a new target arrives.
//	GET /v1/plan        200 {"target": Target|null, "report": PlanReport|null}
//	GET /v1/containers  200 {"containers": [ContainerView...]}
//
// PlanReport: {"target", "decidedAt", "dryRun", "plan": {"target", "used", "remaining",
// "remove": [{"id", "tier", "priority", "score", "graceful"}], "alreadyLeaving": [ids],
// "fits"}, "actions": [{"containerId", "signal", "target": "process"|"group", "pid",
// "dryRun", "error"}], "unmatched": [ids in /proc unknown to the NM],
// "unreachable": [{"id", "reason"}], "error"}. An action's target is "process", "group", or
// "processes" (each verified process, when no group holds the container alone).
//
// # Koordinator's container-level eviction
//
// With -koordlet-socket (spec.guarder.koordletContainerEviction), koordlet's
// --evict-by-copilot-agent requests (POST /v1/killContainersByResource over a unix socket) are
// served by package koordlet: the amount to free becomes a target and is shed like any other.
// Sources: koordinator-sh/koordinator PR #2464, commit 977121b5339d77b060eda69b39794b4afc8bb57a
// (docs/proposals/koordlet/20250528-support-evict-yarn-container.md,
// pkg/koordlet/qosmanager/helpers/copilot/copilot_agent.go, plugins/cpuevict/cpu_evict.go,
// plugins/memoryevict/memory_evict.go, framework/config.go); koordinator-sh/yarn-copilot at
// 658fb98837c5f27d06441bfc3baf6ae72e4fd1af (pkg/copilot-agent/server/server.go: same route and
// request type, empty handler). Details in package koordlet.
//
// # Safety net
//
// Off by default: the operator's resident loop is the controller (smoothed metrics, RM capacity
// lowered first). The net reacts to single koordlet scrapes, cannot stop the RM refilling the
// node, and duplicates NodeSLO thresholds by hand. See package safetynet.
package guarder

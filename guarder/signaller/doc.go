// Package signaller sends YARN containers on their way out: gracefully first, by force last.
//
// Policy (FirstSignal decides, purely):
//   - A JVM with a SIGPWR handler (Spark with spark.decommission.enabled) gets SIGPWR, to the
//     JVM process only: never to the process group, because the bash wrapper has no handler,
//     would die at once, and the NodeManager would tear the container down with it.
//   - Any other container gets SIGTERM to its process group, like YARN's own container kill,
//     so shutdown hooks run. (SIGPWR would kill such a JVM at once, skipping its hooks.) The
//     group is discovery.Container.PGID: the session YARN created, and only when no process
//     outside the container is in it. With PGID 0 each verified member is signalled instead
//     (TargetProcesses), so the NM and its launch chain are never hit.
//   - Under PolicyTermOnly (spec.guarder.signalPolicy: TermOnly, flag -signal-policy) no
//     process ever gets SIGPWR: every container gets SIGTERM to its process group. It exists
//     for Spark builds that install a SIGPWR handler but mishandle the signal; SigCgt cannot
//     tell such a build from a good one, so only the user can opt out.
//   - When the grace period (or the request's earlier deadline) has passed and the container
//     still has processes, the group gets SIGKILL (if the fresh scan still finds it held by
//     the container alone), and so does every remaining container process.
//
// Every signal is preceded by a re-verification of the target's identity (pid, start time,
// container id) against /proc, so a pid reused by an unrelated process is never hit.
//
// pidfd closes the window between verification and signal: the pidfd is opened first, then
// the pid is verified. A pidfd refers to one process for good; if that process exits, its pid
// may be reused, but the pidfd then refers to a dead process and pidfd_send_signal fails with
// ESRCH. Because the verified process existed before the pidfd was opened and was still there
// after, the pidfd refers to exactly that process. Without pidfd (kernel < 5.3, seccomp), kill(2)
// is used and a tiny window remains in which the verified process could exit and its pid be
// reused (which needs the whole pid space to wrap around in between).
//
// Process groups have no pidfd. A group signal is sent with kill(-pgid) after a verified member
// of the group was found alive through its pidfd: while that member lives, the group id cannot
// name any other group.
//
// The signaller is idempotent: a container already leaving is never signalled again for the
// same reason, and repeated targets only escalate what is overdue.
package signaller

// Package selection decides which YARN containers to remove so that what remains on a
// NodeManager fits a target (vcores, memory), losing the least work. It is a pure function:
// no I/O and no clock (now is an input), so the worker, the API's dry run, the simulator and
// the benchmarks all call the very same code.
//
// # Order
//
// Containers already leaving count as removed, so a repeated target selects nothing new
// (idempotence). Of the rest, only containers that hold some of a resource that is short are
// candidates (removing a memory-only container does not help a CPU shortfall). Candidates are
// taken one at a time, each time by this order:
//
//  1. Tier: ordinary containers, then streaming jobs, then ApplicationMasters. Losing an AM
//     loses (or restarts) the whole application; losing a streaming task restarts the job
//     from its last checkpoint and breaks its latency promise. Both go only when ordinary
//     containers cannot make the target.
//  2. Application priority, lowest first. YARN application priorities are integers where a
//     higher value means more important (yarn.cluster.max-application-priority caps them;
//     the default priority is 0). A platform that labels jobs debug > P3 > P2 > P1 (shed
//     first to last) maps them to ascending integers, e.g. debug=0, P3=1, P2=2, P1=3.
//     Applications without a given priority count as 0, YARN's default.
//  3. Score, highest first: the weighted sum of
//     - Graceful: 1 if the container can leave gracefully (a Spark executor with a SIGPWR
//     handler decommissions and migrates its blocks), else 0; always 0 under the TermOnly
//     signal policy, where such an executor gets SIGTERM and loses its work like any other;
//     - Youth: HalfLife/(HalfLife+runtime), 1 for a container that just started and 1/2 at
//     the half-life: young containers have done the least work;
//     - Relief: how much of the current shortfall the container covers, averaged over the
//     short resources (min(held, short)/short), so containers holding the scarce resource
//     go first and fewer containers are lost.
//     The score is recomputed after every pick because the shortfall shrinks.
//  4. Ties: the younger container, then the smaller id.
//
// After the greedy pass, picks that turn out to be unnecessary (the rest still fits without
// removing them) are dropped again, the last-picked first.
package selection

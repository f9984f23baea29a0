// Package sim is a trace-driven simulator that compares ways of sizing YARN NodeManagers on
// the idle capacity of online Kubernetes nodes, in the same run and on the same traces:
//
//   - static: every NM keeps 10 vcores / 30 GiB (iQIYI's first resident stage);
//   - instant-sync: capacity = Koordinator's batch allocatable, every step, no damping and no
//     shedding (koordinator-sh/yarn-copilot);
//   - caelus: Tencent Caelus (test/peers/caelus): its own decaying-percentile predictor of
//     the online use, total minus prediction minus a reserve, a range inside which nothing
//     changes, one increase a minute, and on a decrease kills of the newest containers
//     (SIGTERM, SIGKILL 2 s later);
//   - elastic-yarn: this product. Every interval it runs the capacity controller's own cycle
//     step (controllers/capacity/cycle: policy.Decide per node, the RM write budget, urgency
//     order, grows in flight, previous targets, the ledger) on window statistics computed
//     here, carries out the plan through the RM model and hands the targets to a guarder
//     model that decides through the guarder's own guarder/selection.Shed (ApplicationMasters
//     held back while their tasks leave) and applies the guarder's signal policy (SIGPWR to
//     decommission-capable Spark executors, SIGTERM otherwise, SIGKILL after the grace period
//     or the target's deadline);
//   - oracle: the reference. The RM is the batch CPU and memory Koordinator offers at every
//     step, nothing is shed and nothing evicted; harvest and useful work are also reported
//     as a share of the oracle's.
//
// One step (Config.Step, e.g. 30 s) of one strategy's cluster, in order:
//  1. container life: completions, exits after a signal, force-kills; NMs come back after an
//     eviction; RM capacity writes become visible after their delay;
//  2. Koordinator (test/peers/koordinator): suppress(BE), batch allocatable, evictions;
//  3. the strategy: RM writes, signals;
//  4. the RM's scheduler: containers start only where the advertised capacity has room,
//     from a backlog that never runs dry (package workload);
//  5. the figures for the step [now, now+Step).
//
// Every strategy runs its own copy of the cluster (same traces, same workload seed), so the
// strategies run in parallel and the result is the same for a seed on any machine.
package sim

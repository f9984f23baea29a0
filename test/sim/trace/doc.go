// Package trace holds the online load the simulator replays: per node, the CPU and memory
// used by online (non-batch) work at a fixed step, as fractions of the node's capacity.
//
// Sources, one file each:
//   - Synthetic: a diurnal online load with noise and spikes, deterministic from a seed.
//   - LoadCSV / LoadCSVDir: one CSV per node, `timestamp_seconds,cpu_percent,mem_percent`.
//   - LoadAlibaba: the Alibaba cluster-trace-v2018 machine_usage format.
//
// Every loader resamples to the fixed step with sample-and-hold (the value at t is the
// newest sample at or before t) and refuses a gap longer than MaxGap instead of inventing
// load for it: the caller picks a window without such gaps. Nothing else is dropped silently.
package trace

// Package workload generates the YARN containers the simulated queues hold: a backlog that
// never runs dry, drawn from heavy-tailed size and duration distributions, deterministic for
// a seed. Killed work goes back to the head of the queue and runs again from scratch.
package workload

// Package scale measures the REAL operator binary at up to 10,000 nodes on a local control
// plane (test/localcluster: etcd, kube-apiserver, kube-scheduler, kwok), with the RM emulator
// as YARN, a koordlet stand-in scraped by a real Prometheus, the node agent that registers each
// NodeManager pod with the RM once kwok reports it Running (test/peers/nodeagent), and the
// guarder stand-in serving the REAL guarder API for every pod address from one listener
// (test/peers/guarderstandin); the demo uses the same two.
//
// One run creates N kwok nodes (realistic ones: the labels, annotations and image lists the
// kubelet, a CSI driver, Calico and Koordinator put on a real node; realnode.go) and N
// StaticIPs, starts the operator, creates one Resident pool with Koordinator capacity at
// production defaults and measures:
//   - convergence: from the pool's creation until every NodeManager is registered and the RM
//     shows the capacity the Koordinator series imply for its node (each node offers a
//     different, constant amount, so a capacity on the wrong node is caught);
//   - steady state, over whole capacity cycles after convergence: PromQL queries counted by
//     Prometheus itself, RM resource writes counted by the RM emulator, and apiserver
//     requests by the operator's user, per cycle;
//   - the operator's peak resident set (VmHWM from /proc) and its RSS at the end, and with
//     -profile-dir its heap profile (--profile-address) after the steady cycles.
//
// Nothing here is timed by a unit test: `make scale` runs 1,000, 5,000 and 10,000 nodes, the
// sizes of the published table, and prints the table of docs/benchmarks.md; `go test
// ./test/scale` runs a 40-node smoke run that checks the harness and the per-cycle counts,
// never durations.
package scale

// Package demo runs the product locally for `make demo` (hack/demo.sh): a real control plane
// (etcd, kube-apiserver, kube-scheduler) with kwok faking the nodes and pod status, a
// koordlet-like metrics exporter scraped by a real Prometheus, the RM emulator with a
// backlogged workload, the REAL operator binary, and two stand-ins for what kwok pods cannot
// run: the node agent that registers each NodeManager pod with the RM emulator
// (test/peers/nodeagent), and the guarder stand-in (test/peers/guarderstandin) that serves the REAL guarder HTTP API (guarder/api) on each pod's IP, deciding with
// the REAL guarder/selection code and killing containers through the emulator. In a real
// cluster the NodeManager and the guarder run inside the pod; see docs/demo.md.
//
// Everything listens on loopback (127.0.0.1, and 127.0.10.x for the NodeManager pods'
// StaticIPs), every loop is bounded by the run's context, and Run tears everything down.
package demo

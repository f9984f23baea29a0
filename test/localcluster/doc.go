// Package localcluster starts, on loopback, the real processes the demo, the scale test and
// the disruption tests run the operator against: etcd, kube-apiserver, kube-scheduler and,
// where deletion must really happen, kube-controller-manager (from the directory
// `hack/tools.sh path kube` prints), kwok faking nodes and pod status, Prometheus, and the
// operator binary itself, under a ServiceAccount's token when a test needs its identity. Each process runs in its own process group, logs to a file in the
// run directory and is stopped with SIGTERM, then SIGKILL.
package localcluster

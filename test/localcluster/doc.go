// Package localcluster starts, on loopback, the real processes the demo and the scale test
// run the operator against: etcd, kube-apiserver and kube-scheduler (from the directory
// `hack/tools.sh path kube` prints), kwok faking nodes and pod status, Prometheus, and the
// operator binary itself. Each process runs in its own process group, logs to a file in the
// run directory and is stopped with SIGTERM, then SIGKILL.
package localcluster

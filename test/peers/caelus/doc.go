// Package caelus models how Tencent Caelus sizes a YARN NodeManager next to online services:
// its local predictor of the online load and the capacity updates of its YARN client. The
// rules are read from github.com/tencent/caelus at commit 2ade1eaa; the predictor is the
// Kubernetes VPA recommender's decaying histogram (k8s.io/autoscaler/vertical-pod-autoscaler,
// v0.10.0 in Caelus' go.mod), whose files are cited by path.
//
//   - Prediction (pkg/caelus/predict/predict_local.go, logic.go): every check_interval (30 s)
//     the online use (node total minus offline, CPU and RSS memory) is added to one
//     AggregateContainerState; CPU samples weigh 0.1 (request 100 millicores, VPA's
//     minSampleWeight), memory samples 1.0; both histograms decay with a 24 h half-life. The
//     prediction is the 80th percentile of CPU and the 90th of memory, plus an 8 % safety
//     margin (types/predict.go defaults).
//   - Offer (pkg/caelus/predict/predict.go GetAllocatableForBatch): total - prediction -
//     reserve, at least 0; the reserve is min(20 %, 1 core) and min(20 %, 5120 MB) in the
//     shipped configuration (hack/config/caelus.json).
//   - YARN capacity (pkg/caelus/resource/resource_yarn.go, yarn/adapter.go): every
//     update_interval (10 s) the offer is rounded down to 1000 millicores and 512 MB; a change
//     inside the range (10 % of the capacity, clamped to 1-2 cores and 512-1024 MB) is
//     ignored; an increase (both CPU and memory up) at most once per capacity_inc_interval
//     (1 min); anything else is a decrease, written at once, after which containers are
//     killed, ApplicationMasters last and newest first, until what is allocated and used fits
//     (yarn/ginit.go EnsureCapacity, killContainersWithStats; yarn/container_sort.go), each
//     with SIGTERM to its process group and SIGKILL 2 s later
//     (pkg/nm-operator/nmoperator/nm_operator.go KillContainers).
package caelus

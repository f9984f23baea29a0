// Package disruption checks, against real processes, that no path through Kubernetes ends a
// working NodeManager before a graceful decommission: kubectl drain (the Eviction API), a
// person's kubectl delete, a foreground cascade of the pool (the garbage collector), a
// namespace deletion (the namespace controller), cordon and taints (the taint manager).
//
// It runs etcd, kube-apiserver, kube-scheduler, kube-controller-manager (garbage collector,
// namespace, disruption, pod GC, taint eviction), kwok (fake nodes and pod status) and the
// operator binary under its own ServiceAccount with the generated RBAC, the deletion guard
// from config/admission and the CRDs from config/crd. Each test has its own namespace, nodes
// and RM emulator; a stand-in registers each running NodeManager pod with the emulator and,
// the moment the pod terminates, records what still ran on it before unregistering it, as
// an NM killed by SIGTERM would. A drain that came first leaves zero containers and a zero
// RM capacity in that record.
package disruption

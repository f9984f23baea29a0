// Package nodemanager is the ElasticNodeManager lifecycle controller: it turns a pool's
// placement, StaticIPs and mode (Scheduled windows, an OnDemand burst, Resident) into
// NodeManager pods, drains them gracefully when they must go, and keeps each one in the
// pool's YARN partition.
//
// Every reconcile has the same shape (reconciler.go): get the pool, handle its deletion,
// gather (gather.go), decide (package plan, pure), apply (apply.go, drain.go, yarnlabel.go),
// patch the status (status.go) and requeue at the next transition. Per-node drain state
// lives in pod annotations, so a restarted operator resumes a drain half-way.
//
// Dependencies come in through narrow interfaces (interfaces.go): RMFactory/RM over the
// yarnclient package (*yarnclient.Client is an RM as is), Shedder over the guarder client,
// IdentityBinder over the StaticIP binder (*controllers/staticip.Binder as is). cmd/operator
// wires the real ones.
package nodemanager

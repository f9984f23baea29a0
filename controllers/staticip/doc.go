// Package staticip is the StaticIP controller and the Binder the NodeManager controller uses
// to take and give back addresses.
//
// The Reconciler keeps each StaticIP's status true: KeytabValid (the keytab Secret fits the
// FQDN and the realm of every Kerberos pool that selects the StaticIP), duplicates (a later
// StaticIP reusing an address is Invalid), and bindings (released, with lastNodeName set,
// only once the pod is gone and YARN no longer lists the node as active). The decisions
// themselves live in the pure package staticippolicy; this package gathers inputs and applies the
// results as status patches.
//
// Contract with the NodeManager controller:
//   - call Binder.Bind before creating a NodeManager pod, put the returned address in the
//     pod's CNI annotation and label the pod elasticyarn.io/static-ip=<StaticIP name>; the
//     label is how the Reconciler finds the StaticIP from pod events and recognises a pod
//     re-created under the same name;
//   - a binding whose pod does not appear within Reconciler.PendingGrace is collected (same
//     release rule: only when YARN does not list the node as active);
//   - Binder.Release may be called once the pod is gone and YARN has let the node go; if it
//     is not, the Reconciler releases on its own by the same rule.
package staticip

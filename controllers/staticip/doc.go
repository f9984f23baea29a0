// Package staticip is the StaticIP controller and the Binder the NodeManager controller uses
// to take and give back addresses.
//
// The Reconciler keeps each StaticIP's status true: KeytabValid (the keytab Secret fits the
// FQDN and the realm of every Kerberos pool that selects the StaticIP), duplicates (a later
// StaticIP reusing an address is Invalid), and bindings (released, with lastNodeName set,
// only once the pod is gone and YARN no longer lists the node as active). The decisions
// themselves live in the pure package staticip; this package gathers inputs and applies the
// results as status patches.
package staticip

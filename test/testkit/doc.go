// Package testkit builds the objects every test of this project needs, in production shape
// by default: ElasticNodeManagers (Kerberos, an HA pair of ResourceManagers, Koordinator
// capacity for resident pools), StaticIPs (with their keytab Secret reference), Kubernetes
// nodes (Ready, with Koordinator's batch allocatable) and NodeManager pods (the pool, node
// and StaticIP labels, the YARN NodeId and the pool as controller).
//
// Every builder takes an options struct whose zero fields mean "the default", so a test
// names only what it is about:
//
//	pool := testkit.Pool(testkit.PoolOptions{Namespace: ns, Mode: v1alpha1.ModeScheduled})
//	sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: ns, Name: "nm-1", Address: "10.0.0.1", Pool: pool.Name})
//
// Builders return new objects and never talk to an API server; WithAPIDefaults fills in
// what the API server's CRD defaulting would, for code that reads a pool without storing it.
package testkit

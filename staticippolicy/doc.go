// Package staticippolicy holds the pure decisions about StaticIP pools: which address a NodeManager
// pod gets (Allocate), when a binding may be let go (DecideRelease), which StaticIPs collide on
// an address (FindDuplicates) and whether a keytab fits its FQDN and realm (ValidateKeytab).
//
// Nothing here talks to the API server, reads a clock or touches the network, except
// ProveKeytab, which is kept apart because it performs an AS exchange with the KDC. The
// controllers in controllers/staticip gather the inputs, call these functions and apply the
// results, so every rule is table-tested here once.
package staticippolicy

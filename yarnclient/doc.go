// Package yarnclient is the ResourceManager REST client of the operator: nodes, cluster info,
// runtime node resizing, node labels and applications, over github.com/go-resty/resty/v2,
// following the contract in docs/reference/yarn-rm-rest.md.
//
// # Calls
//
//	c, err := yarnclient.New(yarnclient.Options{RMs: []string{"https://rm1:8090", "https://rm2:8090"},
//		Kerberos: &yarnclient.KerberosOptions{Principal: "yarn-operator", KeytabPath: kt, Krb5ConfPath: conf},
//		Registerer: metricsRegistry})
//	nodes, err := c.ListNodes(ctx, yarnclient.NodeRunning)
//	node, err := c.UpdateNodeResource(ctx, "nm1.example.com:8041", yarnclient.Resource{MemoryMB: 12288, VCores: 6})
//
// UpdateNodeResource always sends both fields and overCommitTimeout -1 (the RM never kills
// containers because of a shrink), then polls GET node until totalResource equals the target:
// the RM applies the update asynchronously. A target that does not appear in time is
// ErrResizeNotApplied. The RM forgets runtime sizes when an NM re-registers or the RM fails over,
// so callers compare and re-apply (level-triggered), never assume.
//
// # High availability
//
// With several RM URLs the client asks each for /ws/v1/cluster/info (never redirected) and
// sticks to the first whose haState is ACTIVE. Redirects are never followed (a SPNEGO token is
// bound to its host). A 307 from a standby, a refused connection or, for idempotent calls, a
// timeout makes the client forget the active RM and discover again, up to MaxFailovers times per
// call; each move counts in elastic_yarn_rmclient_failovers_total. With no active RM (standbys
// answer 307 with only Refresh) the call fails with ErrStandby.
//
// # Retries
//
// Only idempotent calls (GETs) are retried, with exponential backoff and jitter, on 5xx and
// connection errors, up to MaxAttempts. A POST is sent again only when it provably never left
// the client (connection refused) or a standby refused it (307); a POST that timed out or got a
// 5xx is reported, since the RM may have applied it. Responses are capped at MaxResponseBytes.
//
// # Kerberos SPNEGO
//
// With KerberosOptions the client logs in from the keytab with gokrb5 (lazily; gokrb5 renews the
// TGT itself), asks for a ticket for HTTP/<host of the RM URL> (override with SPN) and sends
// "Authorization: Negotiate". The RM's hadoop.auth cookie is then presented instead, per RM,
// until the expiry in its e= field, so a long-running client does one Kerberos exchange per
// RM per cookie lifetime. A rejected cookie triggers one fresh negotiation. Keytabs, tickets,
// cookies and Authorization headers are never logged.
//
// # Errors
//
// Every failure is an *Error with a Kind; branch with errors.Is against the sentinels:
//
//	ErrNotFound           404 RemoteException (unknown node) or a plain 404 page
//	ErrBadRequest         400 (invalid states filter, nodeId without port, unknown label)
//	ErrUnauthorized       401 with a RemoteException: an ACL denial, not a login problem
//	ErrForbidden          403 with a RemoteException
//	ErrAuthentication     401 Negotiate / 403 GSS failure / no Kerberos credentials; also
//	                      matches the three below
//	ErrClockSkew          KRB_AP_ERR_SKEW from the KDC or the RM: fix the clocks
//	ErrUnknownServerPrincipal  no HTTP/<host> principal: use the RM's FQDN in the URL
//	ErrKeytabPrincipal    the keytab has no key for the configured principal (found at New)
//	ErrStandby            only standby RMs answered
//	ErrResizeUnsupported  plain 404 on the resource endpoint: the RM predates Hadoop 3.3
//	ErrInactiveNode       500 (3.3) or 503 (trunk) YarnRuntimeException on resize: known but not active
//	ErrResizeNotApplied   the resize was accepted but did not appear in time
//	ErrServer             other 5xx
//	ErrUnavailable        no RM reachable (refused, timeout, reset)
//	ErrProtocol           an unusable answer (too large, undecodable)
//
// # Ids
//
// ParseContainerID and ParseApplicationID (ids.go) parse YARN ids; ContainerID.IsAM reports
// an attempt's ApplicationMaster (seq 1). They are fuzzed, as are the tolerant decoders that
// accept Hadoop's Jersey quirks (one-element lists as objects, booleans and numbers as strings,
// "nodes":null, wrapped or unwrapped roots).
package yarnclient

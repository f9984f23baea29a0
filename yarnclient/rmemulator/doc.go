// Package rmemulator is a YARN ResourceManager stand-in that speaks the REST contract in
// shared/reference/yarn-rm-rest.md, awkward parts included, for tests, the demo and benchmarks.
//
// What it reproduces:
//   - nodes, node states, ?states= filtering and validation, nodeId rules (400 without port,
//     404 unknown, 500 "unrecognized node" on resizing an inactive one);
//   - POST /nodes/{id}/resource applied asynchronously (the answer shows the old total, the new
//     one appears after Config.ResizeDelay), over-commit (overCommitTimeout -1 keeps running
//     containers, so used > total is visible; 0 kills the newest at once), the NM's configured
//     capacity restored on re-registration and on failover; Config.Pre33 removes the endpoint
//     (plain 404 page) and the 3.3 resource fields;
//   - RM HA with shared state: a standby answers 307 + Location: <active>/<same path>, or 307
//     with only Refresh when no RM is active; /ws/v1/cluster/info is never redirected;
//   - node labels with the admin ACL (401 AuthorizationException), add/replace/remove, unknown
//     label 400, the Jersey-1 quirks of 3.3 (one-element list as object, booleans as strings);
//   - RemoteException bodies and status codes; unknown paths answer a plain HTML 404;
//   - optional SPNEGO with gokrb5's service side and an HTTP/ keytab, the hadoop.auth cookie
//     (HMAC-signed, with expiry), 401 + WWW-Authenticate: Negotiate without credentials, 403
//     with the GSS error otherwise, and a handshake counter;
//   - a small workload driven by Tick(now): apps with priorities, AM containers, containers of
//     given sizes and durations placed up to node capacity (never on DECOMMISSIONING or
//     zero-capacity nodes), served by /ws/v1/cluster/apps.
//
// Emulator-only endpoints live under /emulator/v1 (register nodes, kill containers, fail over,
// submit apps, tick); Go accessors give the same to tests in other packages.
package rmemulator

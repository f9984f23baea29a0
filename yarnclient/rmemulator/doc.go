// Package rmemulator is a YARN ResourceManager stand-in that speaks the REST contract in
// docs/reference/yarn-rm-rest.md, awkward parts included, for tests, the demo and benchmarks.
// Where that reference and Hadoop's source disagree, the source wins; the files and commits
// each behaviour comes from are listed below.
//
// What it reproduces:
//   - nodes, node states, ?states= filtering and validation, nodeId rules (400 without port,
//     404 unknown); an empty listing is {"nodes":{}};
//   - POST /nodes/{id}/resource applied asynchronously (the answer shows the old total, the new
//     one appears after Config.ResizeDelay), over-commit (overCommitTimeout -1 keeps running
//     containers, so used > total is visible; 0 kills the newest at the next heartbeat); Config.Pre33 removes
//     the endpoint (plain 404 page) and the 3.3 resource fields;
//   - resizing a known but inactive node: 500 YarnRuntimeException "Failed to update the node
//     resource <id>." on branch-3.3 (Config.Line Hadoop33, the default), 503 with the inner
//     AdminService message on trunk (Config.Line Trunk); an unknown node answers 404;
//   - RM restart and failover (Failover, RestartRM): the new active RM lists no NodeManager
//     until each re-registers, Config.ReregistrationDelay later (or at ReregisterAll); running
//     containers survive (work-preserving recovery) and nothing new is placed for
//     Config.SchedulingWait (work-preserving-recovery.scheduling-wait-ms, 10 s); inactive nodes
//     are forgotten;
//   - the heartbeat sync-back of Hadoop 3.3: a resize reaches the NM one heartbeat after it is
//     applied and the NM re-registers with it, so it survives a failover; an NM process restart
//     (ReRegisterNode) loses it. Config.ForgetResizeOnRMRestart models RMs without it;
//   - RM HA with shared state: a standby answers 307 + Location: <active>/<same path>, or 307
//     with only Refresh when no RM is active; exactly /ws/v1/cluster/info is never redirected;
//   - node labels with the admin ACL (401 AuthorizationException), add/replace/remove, the
//     Jersey-1 quirks of 3.3 (one-element list as object, booleans as strings); replacing
//     labels does not check that the node exists (they wait for it), allows one label per
//     node (400, YARN-2694), takes a nodeId without port as host:0, and validates every entry
//     of a bulk replace before applying any; label errors are 400 "java.io.IOException: ...";
//   - an expired over-commit timeout kills task containers newest first and AMs last;
//   - RemoteException bodies and status codes; unknown paths answer a plain HTML 404;
//   - optional SPNEGO with gokrb5's service side and an HTTP/ keytab, the hadoop.auth cookie
//     (HMAC-signed, with expiry), 401 + WWW-Authenticate: Negotiate without credentials, 403
//     with the GSS error otherwise, and a handshake counter;
//   - a small workload driven by Tick(now): apps with priorities, AM containers, containers of
//     given sizes and durations placed up to node capacity (never on DECOMMISSIONING,
//     unregistered or zero-capacity nodes), served by /ws/v1/cluster/apps.
//
// # Upstream sources
//
// Paths are relative to apache/hadoop; RM/ is hadoop-yarn-project/hadoop-yarn/
// hadoop-yarn-server/hadoop-yarn-server-resourcemanager/src/main/java/org/apache/hadoop/yarn/
// server/resourcemanager/, NM/ the same under hadoop-yarn-server-nodemanager/.../nodemanager/,
// COMMON/ is hadoop-yarn-project/hadoop-yarn/hadoop-yarn-common/src/main/java/org/apache/hadoop/yarn/.
// Read through the code-search index; the commit is that of the stored copy.
//
//   - RM/webapp/RMWebServices.java (apache/hadoop 0036e234020fc0e91e117d06f908bc93cd36d60b,
//     Jersey-1 era): updateNodeResource calls getRMNode (active, then inactive nodes; neither:
//     NotFoundException "nodeId, <id>, is not found"), then AdminService.updateNodeResource;
//     a YarnException becomes YarnRuntimeException("Failed to update the node resource " +
//     nodeId + "."), an IOException is only logged and the answer is 200 with the node's
//     current (old) total, new ResourceInfo(rmNode.getTotalCapability()). getNodes renders
//     inactive nodes with nodeHTTPAddress "".
//   - RM/AdminService.java updateNodeResource (read at symious/hadoop
//     1ec7f3e4e9aa1f9a1183c607fdb2ba60f441fdf7, a fork whose method matches upstream):
//     looks only at getRMNodes() (active); otherwise throws RPCUtil.getRemoteException("Resource
//     update get failed on all nodes due to change resource on an unrecognized node: " + nodeId),
//     a YarnException; checkRMStatus throws a StandbyException (an IOException) on a standby.
//   - COMMON/webapp/GenericExceptionHandler.java, Jersey 1 (branch-3.3 shape, read at
//     HarshitGupta11/hadoop c64666bc0d688293c761ab3d6d10e4ec68fb9a24): unmapped exceptions are
//     500 and the body carries e.getMessage(); trunk, Jersey 2 (apache/hadoop
//     2e9c38b6dd33199d0643ebfc1c0a75f7fdb7e0c8): unmapped exceptions are 503 and the body
//     carries the cause's message when there is a cause.
//   - RM/ResourceTrackerService.java nodeHeartbeat: an unknown node gets RESYNC ("Node not
//     found resyncing"), so after a restart or failover every NM registers again; step 6
//     "Check if we got an event (AdminService) that updated the resources": if
//     rmNode.isUpdatedCapability() the response carries rmNode.getTotalCapability() (present
//     on the 3.x line; the stored apache/hadoop copy 0352b97430604fce39d06c578bd1d471b02556af
//     predates it, which is the behaviour ForgetResizeOnRMRestart keeps).
//   - RM/webapp/RMWebServices.java (same commit) replaceLabelsOnNode(s): nodeIds through
//     ConverterUtils.toNodeIdWithDefaultPort (no port: 0), no node check, the label manager's
//     IOException thrown as BadRequestException(e); the ACL message "User <u> not authorized
//     for post to ..." + operation. CommonNodeLabelsManager.checkReplaceLabelsOnNode (text read
//     in the code index): every entry checked first, "%d labels specified on host=%s, please
//     note that we do not support specifying multiple labels on a single host for now."
//     (YARN-2694) and "Not all labels being replaced contained by known label collections,
//     please check, new labels=[...]".
//   - RM/scheduler/SchedulerNode.java getContainersToKill (text read in the code index; the
//     stored apache/hadoop copy 06127df575e20da8d2ecc6c5f5d4963a24f9f78a predates it): sort by
//     isAMContainer, then execution type reversed (OPPORTUNISTIC first), then creation time
//     reversed (newest first).
//   - NM/NodeStatusUpdaterImpl.java (apache/hadoop 01104fa90ed84c9dbc24c525c2f73fb1c6174dca):
//     registerWithRM sends this.totalResource; updateNMResource replaces it with a resource
//     the RM sent back, so a re-registration after failover carries the resize. A new NM
//     process starts from its configuration again.
//
// Emulator-only endpoints live under /emulator/v1 (register nodes, kill containers, fail over,
// restart, submit apps, tick); Go accessors give the same to tests in other packages.
package rmemulator

// Package nmclient is a small client for the NodeManager REST API (/ws/v1/node/...), used by the
// guarder sidecar to learn what YARN allocated to each container (the NM reports no pids;
// the guarder joins by container id with what it finds in /proc).
//
// Hadoop serialises with Jersey "mapped" JSON: a one-element list may arrive as a bare object,
// an empty list as null, "" or a missing key, and numbers sometimes as strings. The decoders
// here accept all of those.
package nmclient

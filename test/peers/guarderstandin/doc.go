// Package guarderstandin is the one guarder stand-in of the demo (test/demo) and the scale
// run (test/scale): kwok runs no NodeManager pods, so no guarder sidecar answers the operator.
// Server serves the REAL guarder HTTP API (guarder/api, with its bearer-token check against
// the pool's guarder token Secret) for every NodeManager pod the node agent
// (test/peers/nodeagent) registers, on the pod's address and guarder port. Behind each pod's
// API is a stand-in controller over the RM emulator's containers of that NodeManager: the
// real guarder/selection.Shed picks what to shed; a Spark task leaves gracefully, anything
// else is killed through the emulator.
package guarderstandin

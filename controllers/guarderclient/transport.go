package guarderclient

import (
	"net"
	"net/http"
	"time"
)

// Settings of the one HTTP client every guarder call goes through.
const (
	// callTimeout bounds one call, connection included.
	callTimeout = 10 * time.Second
	// dialTimeout: a pod IP that does not answer a SYN is not worth the whole callTimeout.
	dialTimeout = 3 * time.Second
	// bufferSize of each connection's read and write buffers. A guarder request is a target
	// of a few hundred bytes (a few KiB with application priorities) and its answer is as
	// small; net/http's default of 4 KiB each way was most of what a call allocated.
	bufferSize = 1 << 10
)

// sharedHTTP is the client of every guarder call. One transport for the process, built once.
//
// Keep-alive is off. Every guarder is its own host (its pod's IP), and the operator calls
// one guarder at most once per capacity cycle (its target) or guarder restart (its /version),
// far apart: an idle connection is never reused before it times out. net/http's default
// transport kept up to 100 of them, two goroutines and 8 KiB of buffers each, and every call
// to one of the thousands of other guarders evicted one; at 5,000 NodeManagers that pool
// only held memory. Closing after each answer also frees the guarder's side at once.
//
// No proxy: guarders are reached at pod IPs inside the cluster, and an HTTP_PROXY in the
// operator's environment (meant for reaching an RM or Prometheus outside it) must not
// capture them.
var sharedHTTP = &http.Client{Timeout: callTimeout, Transport: newTransport()}

func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: dialTimeout}).DialContext,
		DisableKeepAlives:     true,
		DisableCompression:    true, // answers are a few hundred bytes
		ResponseHeaderTimeout: callTimeout,
		ReadBufferSize:        bufferSize,
		WriteBufferSize:       bufferSize,
	}
}

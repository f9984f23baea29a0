// Package koordletclient sends what koordlet sends to its container-eviction agent, for
// tests of guarder/koordlet. It follows koordlet's client (koordinator-sh/koordinator PR
// #2464, commit 977121b5, pkg/koordlet/qosmanager/helpers/copilot/copilot_agent.go,
// KillContainerByResource) on the wire as koordlet's pinned resty builds the request
// (go-resty/resty v2.1.1-0.20191201195748-d7b97669fe48 in koordinator's go.mod at that commit):
//   - a transport that dials the unix socket whatever the address, a 30 s timeout;
//   - POST of the relative path with scheme "http" and the path as host (resty middleware.go,
//     "non-http scheme option");
//   - the request marshalled to []byte and labelled with http.DetectContentType, i.e.
//     text/plain, not JSON (resty util.go DetectContentType);
//   - the answer decoded into a ResourceList only for a 2xx JSON answer (parseResponseBody);
//     any error yields nil, as KillContainerByResource returns.
//
// The resty of this module (v2.17) refuses that host-less URL, so the client uses net/http;
// the bytes on the socket are the same.
package koordletclient

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/koordlet"
)

// Client talks to one agent socket.
type Client struct{ hc *http.Client }

// New returns a client for the unix socket at path.
func New(socket string) *Client {
	transport := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", socket)
	}}
	return &Client{hc: &http.Client{Transport: transport, Timeout: 30 * time.Second}}
}

// KillContainersByResource asks for release and returns what the agent says it released.
func (c *Client) KillContainersByResource(release corev1.ResourceList) corev1.ResourceList {
	quantities := map[string]resource.Quantity{}
	for k, v := range release {
		quantities[string(k)] = v
	}
	body, _ := json.Marshal(koordlet.KillRequest{Resources: quantities})
	req, err := http.NewRequest(http.MethodPost, "http://placeholder"+koordlet.Path, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.URL = &url.URL{Scheme: "http", Host: koordlet.Path, Path: koordlet.Path}
	req.Host = ""
	req.Header.Set("Content-Type", http.DetectContentType(body))
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var result corev1.ResourceList
	if resp.StatusCode > 199 && resp.StatusCode < 300 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(raw, &result)
	}
	return result
}

// CPURequest is what cpu_evict.go sends: batch-cpu as milli-cores still to release, memory 0.
func CPURequest(milli int64) corev1.ResourceList {
	return corev1.ResourceList{koordlet.BatchCPU: *resource.NewMilliQuantity(milli, resource.DecimalSI),
		koordlet.BatchMemory: *resource.NewQuantity(0, resource.BinarySI)}
}

// MemoryRequest is what memory_evict.go sends: batch-memory in bytes, CPU 0.
func MemoryRequest(bytes int64) corev1.ResourceList {
	return corev1.ResourceList{koordlet.BatchCPU: *resource.NewMilliQuantity(0, resource.DecimalSI),
		koordlet.BatchMemory: *resource.NewQuantity(bytes, resource.BinarySI)}
}

package yarnclient

import (
	"context"
	"net/http"
)

const (
	pathClusterInfo = "/ws/v1/cluster/info"
	pathNodes       = "/ws/v1/cluster/nodes"
	pathApps        = "/ws/v1/cluster/apps"
	pathNodeLabels  = "/ws/v1/cluster/get-node-labels"
	pathAddLabels   = "/ws/v1/cluster/add-node-labels"
	pathRemoveLabel = "/ws/v1/cluster/remove-node-labels"

	pathReplaceNodeToLabels = "/ws/v1/cluster/replace-node-to-labels"
)

// ClusterInfo returns the active RM's /ws/v1/cluster/info (version, haState).
func (c *Client) ClusterInfo(ctx context.Context) (ClusterInfo, error) {
	body, err := c.do(ctx, request{op: "ClusterInfo", method: http.MethodGet, path: pathClusterInfo, idempotent: true})
	if err != nil {
		return ClusterInfo{}, err
	}
	info, derr := DecodeClusterInfo(body)
	if derr != nil {
		return ClusterInfo{}, &Error{Kind: KindProtocol, Op: "ClusterInfo", Err: derr}
	}
	return info, nil
}

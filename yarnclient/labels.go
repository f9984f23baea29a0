package yarnclient

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
)

// ListNodeLabels returns the cluster's node labels with their exclusivity.
func (c *Client) ListNodeLabels(ctx context.Context) ([]NodeLabel, error) {
	body, err := c.do(ctx, request{op: "ListNodeLabels", method: http.MethodGet, path: pathNodeLabels, idempotent: true})
	if err != nil {
		return nil, err
	}
	labels, derr := DecodeNodeLabels(body)
	if derr != nil {
		return nil, &Error{Kind: KindProtocol, Op: "ListNodeLabels", Err: derr}
	}
	return labels, nil
}

type wireAddLabels struct {
	NodeLabelInfo []wireAddLabel `json:"nodeLabelInfo"`
}

type wireAddLabel struct {
	Name        string `json:"name"`
	Exclusivity bool   `json:"exclusivity"`
}

// AddNodeLabels adds cluster labels (admin only). Adding an existing label is an error in YARN.
func (c *Client) AddNodeLabels(ctx context.Context, labels ...NodeLabel) error {
	w := wireAddLabels{}
	for _, l := range labels {
		w.NodeLabelInfo = append(w.NodeLabelInfo, wireAddLabel{Name: l.Name, Exclusivity: l.Exclusive})
	}
	_, err := c.do(ctx, request{op: "AddNodeLabels", method: http.MethodPost, path: pathAddLabels, body: w})
	return err
}

// RemoveNodeLabels removes cluster labels (admin only); names go as repeated labels= params.
func (c *Client) RemoveNodeLabels(ctx context.Context, names ...string) error {
	_, err := c.do(ctx, request{op: "RemoveNodeLabels", method: http.MethodPost, path: pathRemoveLabel, query: url.Values{"labels": names}})
	return err
}

// ReplaceNodeLabels sets exactly these labels on the node (none clears them); admin only.
func (c *Client) ReplaceNodeLabels(ctx context.Context, nodeID string, labels ...string) error {
	q := url.Values{"labels": labels}
	if len(labels) == 0 {
		q = url.Values{"labels": {""}}
	}
	_, err := c.do(ctx, request{op: "ReplaceNodeLabels", method: http.MethodPost, path: nodePath(nodeID) + "/replace-labels", query: q})
	return err
}

type wireNodeToLabels struct {
	NodeToLabels []wireNodeLabels `json:"nodeToLabels"`
}

type wireNodeLabels struct {
	NodeID string   `json:"nodeId"`
	Labels []string `json:"labels"`
}

// ReplaceLabelsOnNodes sets the labels of several nodes in one call (admin only). A nodeId
// "host:0" means every NM on that host; an empty list clears a node's labels.
func (c *Client) ReplaceLabelsOnNodes(ctx context.Context, nodeToLabels map[string][]string) error {
	w := wireNodeToLabels{}
	for _, id := range slices.Sorted(maps.Keys(nodeToLabels)) {
		ls := nodeToLabels[id]
		if ls == nil {
			ls = []string{}
		}
		w.NodeToLabels = append(w.NodeToLabels, wireNodeLabels{NodeID: id, Labels: ls})
	}
	_, err := c.do(ctx, request{op: "ReplaceLabelsOnNodes", method: http.MethodPost, path: pathReplaceNodeToLabels, body: w})
	return err
}

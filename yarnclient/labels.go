package yarnclient

import (
	"context"
	"net/http"
	"net/url"
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

package yarnclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ListNodes lists NodeManagers, filtered by states when given. Without states the RM includes
// inactive nodes (DECOMMISSIONED, LOST, ...).
func (c *Client) ListNodes(ctx context.Context, states ...NodeState) ([]Node, error) {
	q := url.Values{}
	if len(states) > 0 {
		s := make([]string, len(states))
		for i, st := range states {
			s[i] = string(st)
		}
		q.Set("states", strings.Join(s, ","))
	}
	body, err := c.do(ctx, request{op: "ListNodes", method: http.MethodGet, path: pathNodes, query: q, idempotent: true})
	if err != nil {
		return nil, err
	}
	nodes, derr := DecodeNodes(body)
	if derr != nil {
		return nil, &Error{Kind: KindProtocol, Op: "ListNodes", Err: derr}
	}
	return nodes, nil
}

// GetNode returns one node. nodeID is host:rpcPort (the NM RPC port, not its HTTP port).
func (c *Client) GetNode(ctx context.Context, nodeID string) (Node, error) {
	body, err := c.do(ctx, request{op: "GetNode", method: http.MethodGet, path: nodePath(nodeID), idempotent: true})
	if err != nil {
		return Node{}, err
	}
	n, derr := DecodeNode(body)
	if derr != nil {
		return Node{}, &Error{Kind: KindProtocol, Op: "GetNode", Err: derr}
	}
	return n, nil
}

func nodePath(nodeID string) string { return pathNodes + "/" + url.PathEscape(nodeID) }

// resourceOption is the unwrapped ResourceOptionInfo body.
type resourceOption struct {
	Resource          Resource `json:"resource"`
	OverCommitTimeout int64    `json:"overCommitTimeout"`
}

// SetNodeResource sends the resize and returns the RM's immediate answer, which may still be
// the old total: the update is asynchronous. Both fields are always sent (an omitted vCores
// becomes 0) with overCommitTimeout -1 so running containers are never killed by the RM.
// It is a POST and is never retried once it may have reached the active RM.
func (c *Client) SetNodeResource(ctx context.Context, nodeID string, r Resource) (Resource, error) {
	body, err := c.do(ctx, request{op: "UpdateNodeResource", method: http.MethodPost,
		path: nodePath(nodeID) + "/resource", body: resourceOption{Resource: r, OverCommitTimeout: -1}, resize: true})
	if err != nil {
		return Resource{}, err
	}
	got, derr := DecodeResourceInfo(body)
	if derr != nil {
		return Resource{}, &Error{Kind: KindProtocol, Op: "UpdateNodeResource", Err: derr}
	}
	return got, nil
}

// UpdateNodeResource resizes the node and waits, polling GET node, until its totalResource
// equals r. It returns the confirmed node, or ErrResizeNotApplied when the total did not
// reach r within Options.ResizeConfirmTimeout (or the caller's deadline, if sooner).
func (c *Client) UpdateNodeResource(ctx context.Context, nodeID string, r Resource) (Node, error) {
	if _, err := c.SetNodeResource(ctx, nodeID, r); err != nil {
		return Node{}, err
	}
	return c.WaitNodeResource(ctx, nodeID, r)
}

// WaitNodeResource polls the node until its totalResource equals r (see UpdateNodeResource).
func (c *Client) WaitNodeResource(ctx context.Context, nodeID string, r Resource) (Node, error) {
	deadline := time.Now().Add(c.opts.ResizeConfirmTimeout)
	var last Node
	for {
		n, err := c.GetNode(ctx, nodeID)
		if err != nil {
			return Node{}, err
		}
		last = n
		if n.TotalResource == nil {
			return n, &Error{Kind: KindResizeUnsupported, Op: "UpdateNodeResource", Message: "node has no totalResource (RM older than 3.3)"}
		}
		if *n.TotalResource == r {
			return n, nil
		}
		wait := c.opts.ResizePollInterval
		if time.Now().Add(wait).After(deadline) {
			break
		}
		if err := sleepCtx(ctx, wait); err != nil {
			break
		}
	}
	return last, &Error{Kind: KindResizeNotApplied, Op: "UpdateNodeResource",
		Message: fmt.Sprintf("node %s total is %s, want %s", nodeID, fmtRes(last.TotalResource), fmtRes(&r))}
}

func fmtRes(r *Resource) string {
	if r == nil {
		return "<none>"
	}
	return fmt.Sprintf("<memory:%d, vCores:%d>", r.MemoryMB, r.VCores)
}

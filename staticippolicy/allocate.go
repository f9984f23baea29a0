package staticippolicy

import (
	"errors"
	"fmt"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Request asks for an address for one NodeManager pod.
type Request struct {
	// Pool is the ElasticNodeManager's name.
	Pool string
	// Node is the Kubernetes node the pod will run on.
	Node string
	// Pod is the NodeManager pod's name.
	Pod string
	// RequireKeytab is true on Kerberos pools: only StaticIPs with KeytabValid=True qualify.
	RequireKeytab bool
}

// Allocation is the outcome of Allocate.
type Allocation struct {
	// Name of the chosen StaticIP.
	Name string
	// Existing: the pod already held this StaticIP; nothing needs writing.
	Existing bool
	// Sticky: the StaticIP last served this node, so YARN sees the same NodeId again.
	Sticky bool
}

// PoolCounts describe a pool when it cannot serve a request, so the message says why.
type PoolCounts struct {
	Total, Available, Bound, Releasing, Invalid, Unchecked int
}

func (c PoolCounts) String() string {
	return fmt.Sprintf("%d StaticIPs: %d available, %d bound, %d releasing, %d invalid, %d not yet checked",
		c.Total, c.Available, c.Bound, c.Releasing, c.Invalid, c.Unchecked)
}

// ErrPoolExhausted is wrapped by the error Allocate returns when no StaticIP is free.
var ErrPoolExhausted = errors.New("static IP pool exhausted")

// ErrHeldElsewhere is wrapped when the pod already holds an address bound for another node:
// a pod never moves, so this is a stale binding of an earlier pod with the same name.
var ErrHeldElsewhere = errors.New("pod already holds a static IP bound for another node")

// ExhaustedError carries the pool's counts.
type ExhaustedError struct {
	Pool   string
	Counts PoolCounts
}

func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("%v: pool %q has no usable StaticIP (%s)", ErrPoolExhausted, e.Pool, e.Counts)
}

func (e *ExhaustedError) Unwrap() error { return ErrPoolExhausted }

// Allocate picks the StaticIP for req among the pool's StaticIPs:
//  1. the one the pod already holds (idempotent: a retried call gets the same answer);
//  2. a usable one whose lastNodeName is req.Node (sticky: same FQDN, same YARN NodeId);
//  3. the first usable one that no other node used last, then any usable one, by name.
//
// Step 3 prefers fresh addresses so that nodes coming back later still find theirs. Bound,
// Releasing, Invalid and unchecked StaticIPs are never chosen.
func Allocate(req Request, pool []v1alpha1.StaticIP) (Allocation, error) {
	// Linear scans keeping the smallest name, not a sort: the NodeManager controller calls
	// this once per pod it creates, so a sort would make a 5,000-pod start O(n² log n).
	var held, sticky, fresh, usedByOthers *v1alpha1.StaticIP
	for i := range pool {
		sip := &pool[i]
		if b := sip.Status.Binding; b != nil && b.Pool == req.Pool && b.PodName == req.Pod {
			held = first(held, sip)
			continue
		}
		if !Usable(sip, req.RequireKeytab) {
			continue
		}
		switch sip.Status.LastNodeName {
		case req.Node:
			sticky = first(sticky, sip)
		case "":
			fresh = first(fresh, sip)
		default:
			usedByOthers = first(usedByOthers, sip)
		}
	}
	switch {
	case held != nil && held.Status.Binding.NodeName != req.Node:
		return Allocation{}, fmt.Errorf("%w: pod %q holds StaticIP %q bound for node %q, asked for node %q",
			ErrHeldElsewhere, req.Pod, held.Name, held.Status.Binding.NodeName, req.Node)
	case held != nil:
		return Allocation{Name: held.Name, Existing: true}, nil
	case sticky != nil:
		return Allocation{Name: sticky.Name, Sticky: true}, nil
	case fresh != nil:
		return Allocation{Name: fresh.Name}, nil
	case usedByOthers != nil:
		return Allocation{Name: usedByOthers.Name}, nil
	}
	return Allocation{}, &ExhaustedError{Pool: req.Pool, Counts: Count(pool, req.RequireKeytab)}
}

// first is whichever of best and candidate sorts first by name (best may be nil).
func first(best, candidate *v1alpha1.StaticIP) *v1alpha1.StaticIP {
	if best == nil || candidate.Name < best.Name {
		return candidate
	}
	return best
}

// Count sorts a pool's StaticIPs into the buckets an operator needs to see.
func Count(pool []v1alpha1.StaticIP, requireKeytab bool) PoolCounts {
	c := PoolCounts{Total: len(pool)}
	for i := range pool {
		sip := &pool[i]
		switch {
		case sip.Status.Phase == v1alpha1.StaticIPReleasing:
			c.Releasing++
		case sip.Status.Binding != nil || sip.Status.Phase == v1alpha1.StaticIPBound:
			c.Bound++
		case sip.Status.Phase == v1alpha1.StaticIPInvalid || keytabInvalid(sip):
			c.Invalid++
		case Usable(sip, requireKeytab):
			c.Available++
		default:
			c.Unchecked++
		}
	}
	return c
}

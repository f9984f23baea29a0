package yarnclient_test

import (
	"context"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func TestResizeIsAsynchronousAndConfirmedByPolling(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{ResizeDelay: 150 * time.Millisecond})
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	ctx := context.Background()
	target := yarnclient.Resource{MemoryMB: 8192, VCores: 4}

	immediate, err := c.SetNodeResource(ctx, nodeA, target)
	if err != nil {
		t.Fatal(err)
	}
	if immediate != (yarnclient.Resource{MemoryMB: 16384, VCores: 8}) {
		t.Fatalf("POST answered %+v, want the old total (asynchronous update)", immediate)
	}
	n, err := c.WaitNodeResource(ctx, nodeA, target)
	if err != nil || *n.TotalResource != target {
		t.Fatalf("WaitNodeResource: %v %+v", err, n.TotalResource)
	}
	target = yarnclient.Resource{MemoryMB: 12288, VCores: 6}
	n, err = c.UpdateNodeResource(ctx, nodeA, target)
	if err != nil || *n.TotalResource != target {
		t.Fatalf("UpdateNodeResource: %v %+v", err, n.TotalResource)
	}
	if v, _ := e.Node(nodeA); v.Total != target {
		t.Fatalf("emulator total %+v", v.Total)
	}
}

func TestResizeThatDoesNotTakeIsReported(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{ResizeDelay: time.Hour})
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, ResizeConfirmTimeout: 200 * time.Millisecond})
	_, err := c.UpdateNodeResource(context.Background(), nodeA, yarnclient.Resource{MemoryMB: 1024, VCores: 1})
	mustKind(t, err, yarnclient.ErrResizeNotApplied)
}

func TestShrinkBelowUsageKeepsContainers(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	e.SubmitApp(rmemulator.AppSpec{Containers: 5, Resource: yarnclient.Resource{MemoryMB: 2048, VCores: 1}, Duration: time.Hour})
	e.Tick(time.Unix(1000, 0))
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	ctx := context.Background()
	before, _ := e.Node(nodeA)
	if before.NumContainers != 6 { // AM + 5 tasks
		t.Fatalf("placed %d containers, want 6", before.NumContainers)
	}
	n, err := c.UpdateNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 4096, VCores: 2})
	if err != nil {
		t.Fatal(err)
	}
	if n.NumContainers != 6 || n.UsedResource.MemoryMB <= n.TotalResource.MemoryMB {
		t.Fatalf("over-commit not visible: containers %d used %+v total %+v", n.NumContainers, n.UsedResource, n.TotalResource)
	}
	if n.AvailableResource.MemoryMB != 0 {
		t.Fatalf("available %+v, want 0 when over-committed", n.AvailableResource)
	}
}

func TestCapacityLostOnReRegistrationAndFailover(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{RMs: 2})
	c := newClient(t, yarnclient.Options{RMs: e.URLs()})
	ctx := context.Background()
	small := yarnclient.Resource{MemoryMB: 4096, VCores: 2}
	configured := yarnclient.Resource{MemoryMB: 16384, VCores: 8}

	if _, err := c.UpdateNodeResource(ctx, nodeA, small); err != nil {
		t.Fatal(err)
	}
	if err := e.ReRegisterNode(nodeA); err != nil {
		t.Fatal(err)
	}
	n, err := c.GetNode(ctx, nodeA)
	if err != nil || *n.TotalResource != configured {
		t.Fatalf("after NM restart: %v %+v, want configured capacity back", err, n.TotalResource)
	}
	if _, err := c.UpdateNodeResource(ctx, nodeA, small); err != nil {
		t.Fatal(err)
	}
	if err := e.Failover(1); err != nil {
		t.Fatal(err)
	}
	n, err = c.GetNode(ctx, nodeA)
	if err != nil || *n.TotalResource != configured {
		t.Fatalf("after failover: %v %+v, want configured capacity back", err, n.TotalResource)
	}
	if c.ActiveRM() != e.URLs()[1] {
		t.Fatalf("client sticks to %s, want %s", c.ActiveRM(), e.URLs()[1])
	}
}

func TestResizeErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("pre-3.3 RM has no endpoint", func(t *testing.T) {
		e := startEmulator(t, rmemulator.Config{Pre33: true})
		c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
		_, err := c.SetNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 1024, VCores: 1})
		mustKind(t, err, yarnclient.ErrResizeUnsupported)
		n, err := c.GetNode(ctx, nodeA)
		if err != nil || n.TotalResource != nil {
			t.Fatalf("pre-3.3 node: %v %+v", err, n)
		}
	})
	t.Run("inactive node", func(t *testing.T) {
		e := startEmulator(t, rmemulator.Config{})
		if err := e.SetNodeState(nodeA, yarnclient.NodeLost); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
		_, err := c.SetNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 1024, VCores: 1})
		mustKind(t, err, yarnclient.ErrInactiveNode)
	})
	t.Run("unknown node", func(t *testing.T) {
		e := startEmulator(t, rmemulator.Config{})
		c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
		_, err := c.SetNodeResource(ctx, "ghost.example.test:8041", yarnclient.Resource{MemoryMB: 1024, VCores: 1})
		mustKind(t, err, yarnclient.ErrNotFound)
	})
}

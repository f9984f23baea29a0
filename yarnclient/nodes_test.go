package yarnclient_test

import (
	"context"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func TestListAndGetNodes(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{})
	if _, err := e.RegisterNode(rmemulator.NodeSpec{Host: "nm-b.example.test", RPCPort: 8041,
		Capacity: yarnclient.Resource{MemoryMB: 8192, VCores: 4}}); err != nil {
		t.Fatal(err)
	}
	if err := e.SetNodeState("nm-b.example.test:8041", yarnclient.NodeDecommissioned); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	ctx := context.Background()

	all, err := c.ListNodes(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("ListNodes: %v %+v", err, all)
	}
	running, err := c.ListNodes(ctx, yarnclient.NodeRunning, yarnclient.NodeDecommissioning)
	if err != nil || len(running) != 1 || running[0].ID != nodeA {
		t.Fatalf("ListNodes(RUNNING): %v %+v", err, running)
	}
	none, err := c.ListNodes(ctx, yarnclient.NodeLost)
	if err != nil || len(none) != 0 {
		t.Fatalf("ListNodes(LOST) on \"nodes\":null: %v %+v", err, none)
	}
	_, err = c.ListNodes(ctx, "BOGUS")
	mustKind(t, err, yarnclient.ErrBadRequest)

	n, err := c.GetNode(ctx, nodeA)
	if err != nil {
		t.Fatal(err)
	}
	if n.State != yarnclient.NodeRunning || n.TotalResource == nil || *n.TotalResource != (yarnclient.Resource{MemoryMB: 16384, VCores: 8}) ||
		n.NodeHTTPAddress != "nm-a.example.test:8042" {
		t.Fatalf("node %+v", n)
	}
	inactive, err := c.GetNode(ctx, "nm-b.example.test:8041")
	if err != nil || inactive.NodeHTTPAddress != "" || inactive.State != yarnclient.NodeDecommissioned {
		t.Fatalf("inactive node: %v %+v", err, inactive)
	}
	_, err = c.GetNode(ctx, "nm-a.example.test")
	mustKind(t, err, yarnclient.ErrBadRequest)
	_, err = c.GetNode(ctx, "nobody.example.test:8041")
	mustKind(t, err, yarnclient.ErrNotFound)

	info, err := c.ClusterInfo(ctx)
	if err != nil || info.HAState != "ACTIVE" || info.ResourceManagerVersion != "3.3.6" {
		t.Fatalf("ClusterInfo: %v %+v", err, info)
	}
}

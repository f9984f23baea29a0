package yarnclient_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

func TestNodeLabels(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{AdminUsers: []string{"yarn"}})
	admin := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, User: "yarn"})
	ctx := context.Background()

	if err := admin.AddNodeLabels(ctx, yarnclient.NodeLabel{Name: "elastic", Exclusive: false}); err != nil {
		t.Fatal(err)
	}
	// One label: Hadoop 3.3 sends an object, not a list, and exclusivity as a string.
	labels, err := admin.ListNodeLabels(ctx)
	if err != nil || !reflect.DeepEqual(labels, []yarnclient.NodeLabel{{Name: "elastic", Exclusive: false}}) {
		t.Fatalf("labels %v %+v", err, labels)
	}
	if err := admin.AddNodeLabels(ctx, yarnclient.NodeLabel{Name: "gpu", Exclusive: true}, yarnclient.NodeLabel{Name: "tmp", Exclusive: true}); err != nil {
		t.Fatal(err)
	}
	if err := admin.ReplaceNodeLabels(ctx, nodeA, "elastic"); err != nil {
		t.Fatal(err)
	}
	n, err := admin.GetNode(ctx, nodeA)
	if err != nil || !reflect.DeepEqual(n.NodeLabels, []string{"elastic"}) {
		t.Fatalf("node labels %v %+v", err, n.NodeLabels)
	}
	err = admin.ReplaceNodeLabels(ctx, nodeA, "nosuch")
	mustKind(t, err, yarnclient.ErrBadRequest)
	if err := admin.RemoveNodeLabels(ctx, "gpu", "tmp"); err != nil {
		t.Fatal(err)
	}
	err = admin.RemoveNodeLabels(ctx, "gpu")
	mustKind(t, err, yarnclient.ErrBadRequest)
	labels, _ = admin.ListNodeLabels(ctx)
	if len(labels) != 1 {
		t.Fatalf("after remove: %+v", labels)
	}
	if err := admin.ReplaceLabelsOnNodes(ctx, map[string][]string{"nm-a.example.test:0": {"elastic"}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := admin.GetNode(ctx, nodeA); len(n.NodeLabels) != 1 {
		t.Fatalf("host:0 should label every NM on the host: %v", n.NodeLabels)
	}
	if err := admin.ReplaceNodeLabels(ctx, nodeA); err != nil {
		t.Fatal(err)
	}
	if n, _ := admin.GetNode(ctx, nodeA); len(n.NodeLabels) != 0 {
		t.Fatalf("labels not cleared: %v", n.NodeLabels)
	}

	other := newClient(t, yarnclient.Options{RMs: []string{e.URL()}, User: "mallory"})
	err = other.AddNodeLabels(ctx, yarnclient.NodeLabel{Name: "x"})
	mustKind(t, err, yarnclient.ErrUnauthorized)
	if errorsIs(err, yarnclient.ErrAuthentication) {
		t.Fatalf("an ACL denial is not an authentication failure: %v", err)
	}
}

func TestListAppsWithPriorities(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{Workload: &rmemulator.WorkloadConfig{Backlog: 3, Priorities: []int{1, 9, 5},
		App: rmemulator.AppSpec{Containers: 2}}})
	e.Tick(e.Now())
	c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
	apps, err := c.ListApps(context.Background(), "RUNNING")
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 3 {
		t.Fatalf("apps %+v", apps)
	}
	prio := map[int64]bool{}
	for _, a := range apps {
		if _, err := yarnclient.ParseApplicationID(a.ID); err != nil {
			t.Fatalf("app id %q: %v", a.ID, err)
		}
		prio[a.Priority] = true
	}
	if !prio[1] || !prio[9] || !prio[5] {
		t.Fatalf("priorities %v", prio)
	}
	_, err = c.ListApps(context.Background(), "SLEEPING")
	mustKind(t, err, yarnclient.ErrBadRequest)
}

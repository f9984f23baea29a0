package yarnclient_test

import (
	"context"
	"io"
	"net/http"
	"strings"
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

// TestResizeSurvivesFailoverOnHadoop33: Hadoop 3.3 hands a resized total to the NM in the
// next heartbeat response and the NM re-registers with it, so after the failover's
// re-registration gap the new active RM shows the resize, not the configured capacity. The
// pessimistic setting (RMs without the sync-back) shows the configured capacity again.
func TestResizeSurvivesFailoverOnHadoop33(t *testing.T) {
	small := yarnclient.Resource{MemoryMB: 4096, VCores: 2}
	configured := yarnclient.Resource{MemoryMB: 16384, VCores: 8}
	for _, tc := range []struct {
		name   string
		forget bool
		want   yarnclient.Resource
	}{
		{"hadoop 3.3 heartbeat sync-back", false, small},
		{"without sync-back", true, configured},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, rmemulator.Config{RMs: 2, HeartbeatInterval: 10 * time.Millisecond,
				ReregistrationDelay: -1, ForgetResizeOnRMRestart: tc.forget})
			c := newClient(t, yarnclient.Options{RMs: e.URLs()})
			ctx := context.Background()
			if _, err := c.UpdateNodeResource(ctx, nodeA, small); err != nil {
				t.Fatal(err)
			}
			if !tc.forget {
				awaitNMTotal(t, e, small) // one heartbeat carried it to the NM
			}
			if err := e.Failover(1); err != nil {
				t.Fatal(err)
			}
			// The gap: the new active RM lists no NodeManager until each re-registers.
			nodes, err := c.ListNodes(ctx)
			if err != nil || len(nodes) != 0 {
				t.Fatalf("during the re-registration gap: %v %+v, want no nodes", err, nodes)
			}
			_, err = c.GetNode(ctx, nodeA)
			mustKind(t, err, yarnclient.ErrNotFound)
			e.ReregisterAll()
			n, err := c.GetNode(ctx, nodeA)
			if err != nil || *n.TotalResource != tc.want {
				t.Fatalf("after failover: %v %+v, want %+v", err, n.TotalResource, tc.want)
			}
			if c.ActiveRM() != e.URLs()[1] {
				t.Fatalf("client sticks to %s, want %s", c.ActiveRM(), e.URLs()[1])
			}
		})
	}
}

// TestResizeLostOnNodeManagerRestart: a restarted NM process registers with its configured
// capacity; the RM forgets the runtime resize, whatever the Hadoop line.
func TestResizeLostOnNodeManagerRestart(t *testing.T) {
	e := startEmulator(t, rmemulator.Config{HeartbeatInterval: 10 * time.Millisecond})
	c := newClient(t, yarnclient.Options{RMs: e.URLs()})
	ctx := context.Background()
	small := yarnclient.Resource{MemoryMB: 4096, VCores: 2}
	if _, err := c.UpdateNodeResource(ctx, nodeA, small); err != nil {
		t.Fatal(err)
	}
	awaitNMTotal(t, e, small) // synced back to the NM: only its process dies with it
	if err := e.ReRegisterNode(nodeA); err != nil {
		t.Fatal(err)
	}
	n, err := c.GetNode(ctx, nodeA)
	if configured := (yarnclient.Resource{MemoryMB: 16384, VCores: 8}); err != nil || *n.TotalResource != configured {
		t.Fatalf("after NM restart: %v %+v, want configured capacity %+v back", err, n.TotalResource, configured)
	}
}

// TestInactiveNodeResizeHadoop33Body: resizing a node the RM holds inactive answers 500 with
// the outer "Failed to update the node resource <id>." on branch-3.3 and 503 with the inner
// AdminService message on trunk; the client classifies both as ErrInactiveNode, and an
// unknown node (or one not yet re-registered) stays ErrNotFound.
func TestInactiveNodeResizeHadoop33Body(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		line    rmemulator.Line
		status  int
		message string
	}{
		{"branch-3.3", rmemulator.Hadoop33, 500, "Failed to update the node resource " + nodeA + "."},
		{"trunk", rmemulator.Trunk, 503, "Resource update get failed on all nodes due to change resource on an unrecognized node: " + nodeA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, rmemulator.Config{Line: tc.line})
			if err := e.SetNodeState(nodeA, yarnclient.NodeLost); err != nil {
				t.Fatal(err)
			}
			resp, err := http.Post(e.URL()+"/ws/v1/cluster/nodes/"+nodeA+"/resource", "application/json",
				strings.NewReader(`{"resource":{"memory":1024,"vCores":1},"overCommitTimeout":-1}`))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			re, ok := yarnclient.DecodeRemoteException(raw)
			if resp.StatusCode != tc.status || !ok || re.Exception != "YarnRuntimeException" || re.Message != tc.message ||
				re.JavaClassName != "org.apache.hadoop.yarn.exceptions.YarnRuntimeException" {
				t.Fatalf("answer %d %s, want %d YarnRuntimeException %q", resp.StatusCode, raw, tc.status, tc.message)
			}
			c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
			_, err = c.SetNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 1024, VCores: 1})
			mustKind(t, err, yarnclient.ErrInactiveNode)
			_, err = c.SetNodeResource(ctx, "ghost.example.test:8041", yarnclient.Resource{MemoryMB: 1024, VCores: 1})
			mustKind(t, err, yarnclient.ErrNotFound)
		})
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
	t.Run("unknown node", func(t *testing.T) {
		e := startEmulator(t, rmemulator.Config{})
		c := newClient(t, yarnclient.Options{RMs: []string{e.URL()}})
		_, err := c.SetNodeResource(ctx, "ghost.example.test:8041", yarnclient.Resource{MemoryMB: 1024, VCores: 1})
		mustKind(t, err, yarnclient.ErrNotFound)
	})
}

// awaitNMTotal waits until nodeA's NM process holds want (the heartbeat sync-back).
func awaitNMTotal(t *testing.T, e *rmemulator.Emulator, want yarnclient.Resource) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if n, _ := e.Node(nodeA); n.NMTotal == want {
			return
		}
	}
	t.Fatalf("the NM never received %+v in a heartbeat", want)
}

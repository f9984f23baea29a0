package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func get(url string) (int, string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), nil
}

// TestManagerStartsAndStopsCleanly runs the real manager with leader election against a real
// apiserver: it must take the lease, serve health, readiness and metrics, and return promptly
// with no error when its context is cancelled, releasing the lease.
func TestManagerStartsAndStopsCleanly(t *testing.T) {
	o := DefaultOptions()
	o.MetricsAddr = freeAddr(t)
	o.ProbeAddr = freeAddr(t)
	if DefaultOptions().ProfileAddr != "" {
		t.Fatal("pprof must be off by default")
	}
	o.ProfileAddr = freeAddr(t)
	o.LeaderElect = true
	o.LeaderElectionNamespace = "default"
	o.LeaderElectionID = "start-stop-test"
	o.GracefulShutdownTimeout = 10 * time.Second

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, env.Config, o) }()

	waitFor(t, 60*time.Second, "healthz and readyz answer 200", func() error {
		for _, path := range []string{"/healthz", "/readyz"} {
			code, body, err := get("http://" + o.ProbeAddr + path)
			if err != nil {
				return err
			}
			if code != http.StatusOK {
				return fmt.Errorf("%s: %d %s", path, code, body)
			}
		}
		return nil
	})
	waitFor(t, 60*time.Second, "leader lease held", func() error {
		var lease coordinationv1.Lease
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: "default", Name: o.LeaderElectionID}, &lease); err != nil {
			return err
		}
		if lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity == "" {
			return fmt.Errorf("lease has no holder")
		}
		return nil
	})
	if code, _, err := get("http://" + o.ProfileAddr + "/debug/pprof/heap?debug=1"); err != nil || code != http.StatusOK {
		t.Fatalf("--profile-address: heap profile answered %d, %v", code, err)
	}
	code, body, err := get("http://" + o.MetricsAddr + "/metrics")
	if err != nil || code != http.StatusOK || !strings.Contains(body, "controller_runtime") && !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics endpoint: code %d err %v", code, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("manager returned an error on shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("manager did not stop within 30s of cancellation")
	}

	// LeaderElectionReleaseOnCancel empties the holder so a new replica takes over at once.
	var lease coordinationv1.Lease
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: "default", Name: o.LeaderElectionID}, &lease); err != nil {
		t.Fatal(err)
	}
	if lease.Spec.HolderIdentity != nil && *lease.Spec.HolderIdentity != "" {
		t.Errorf("lease still held by %q after shutdown", *lease.Spec.HolderIdentity)
	}
}

func waitFor(t *testing.T, timeout time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if last = check(); last == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s: %v", what, last)
}

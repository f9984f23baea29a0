package localcluster

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ControllerManagerControllers are the kube-controller-manager controllers a test needs where
// deletion must really happen: the garbage collector (owner cascades), the namespace
// controller (namespace deletion), the disruption controller (PodDisruptionBudget status,
// which the Eviction API reads) and the pod garbage collector (pods of gone nodes).
var ControllerManagerControllers = []string{
	"garbage-collector-controller", "namespace-controller", "disruption-controller",
	"pod-garbage-collector-controller", "serviceaccount-controller",
}

// StartControllerManager runs kube-controller-manager from assets against the control plane
// with only the given controllers (ControllerManagerControllers when empty). It runs with the
// admin kubeconfig, as one identity, like a control plane without
// --use-service-account-credentials; it returns once /healthz answers.
func (cp *ControlPlane) StartControllerManager(ctx context.Context, assets, dir string, controllers ...string) (*Proc, error) {
	if len(controllers) == 0 {
		controllers = ControllerManagerControllers
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	p, err := StartProc(dir, "kube-controller-manager", nil, filepath.Join(assets, "kube-controller-manager"),
		"--kubeconfig="+cp.Kubeconfig,
		"--authentication-kubeconfig="+cp.Kubeconfig,
		"--authorization-kubeconfig="+cp.Kubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		"--controllers="+strings.Join(controllers, ","),
		// Fast enough for tests that wait on a cascade; the defaults are the same order.
		"--concurrent-gc-syncs=5",
		"--namespace-sync-period=10s")
	if err != nil {
		return nil, err
	}
	cp.procs = append(cp.procs, p)
	err = WaitFor(ctx, p, 60*time.Second, "kube-controller-manager /healthz", func() error {
		return HTTPOK(fmt.Sprintf("https://%s/healthz", Loopback(port)), cp.Token)
	})
	return p, err
}

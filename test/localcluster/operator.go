package localcluster

import (
	"context"
	"time"
)

// StartOperator runs the REAL operator binary (go build ./cmd/operator) against the demo
// control plane through its kubeconfig, with its metrics and probes on loopback ports, and
// waits until it is ready. extraArgs come after the defaults (a later flag wins).
func StartOperator(ctx context.Context, bin, dir, kubeconfig string, extraArgs ...string) (*Proc, string, error) {
	metricsPort, err := FreePort()
	if err != nil {
		return nil, "", err
	}
	probePort, err := FreePort()
	if err != nil {
		return nil, "", err
	}
	args := append([]string{
		"--kubeconfig=" + kubeconfig,
		"--metrics-bind-address=" + Loopback(metricsPort),
		"--health-probe-bind-address=" + Loopback(probePort),
		"--graceful-shutdown-timeout=5s",
		"--zap-log-level=info",
	}, extraArgs...)
	p, err := StartProc(dir, "operator", []string{"KUBECONFIG=" + kubeconfig}, bin, args...)
	if err != nil {
		return nil, "", err
	}
	metrics := "http://" + Loopback(metricsPort) + "/metrics"
	err = WaitFor(ctx, p, 60*time.Second, "operator /readyz", func() error {
		return HTTPOK("http://"+Loopback(probePort)+"/readyz", "")
	})
	return p, metrics, err
}

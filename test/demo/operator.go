package demo

import (
	"context"
	"time"
)

// startOperator runs the REAL operator binary (go build ./cmd/operator) against the demo
// control plane through its kubeconfig, with its metrics and probes on loopback ports, and
// waits until it is ready.
func startOperator(ctx context.Context, bin, dir, kubeconfig string) (*proc, string, error) {
	metricsPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	probePort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	p, err := startProc(dir, "operator", []string{"KUBECONFIG=" + kubeconfig}, bin,
		"--kubeconfig="+kubeconfig,
		"--metrics-bind-address="+loopback(metricsPort),
		"--health-probe-bind-address="+loopback(probePort),
		"--graceful-shutdown-timeout=5s",
		"--zap-log-level=info")
	if err != nil {
		return nil, "", err
	}
	metrics := "http://" + loopback(metricsPort) + "/metrics"
	err = waitFor(ctx, p, 60*time.Second, "operator /readyz", func() error {
		return httpOK("http://"+loopback(probePort)+"/readyz", "")
	})
	return p, metrics, err
}

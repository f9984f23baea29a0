package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// startPrometheus runs the Debian Prometheus scraping the koordlet stand-in every 2 s, with
// hack/demo/prometheus.yml.tmpl ({{TARGET}} is replaced by the exporter's address).
func startPrometheus(ctx context.Context, bin, configDir, dir, target string) (*proc, string, error) {
	tmpl, err := os.ReadFile(filepath.Join(configDir, "prometheus.yml.tmpl"))
	if err != nil {
		return nil, "", err
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(string(tmpl), "{{TARGET}}", target)), 0o644); err != nil {
		return nil, "", err
	}
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	url := "http://" + loopback(port)
	p, err := startProc(dir, "prometheus", nil, bin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus-data"),
		"--web.listen-address="+loopback(port),
		"--storage.tsdb.retention.time=1d")
	if err != nil {
		return nil, "", err
	}
	err = waitFor(ctx, p, 60*time.Second, "Prometheus ready", func() error { return httpOK(url+"/-/ready", "") })
	if err != nil {
		return p, url, fmt.Errorf("prometheus: %w", err)
	}
	return p, url, nil
}

package localcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StartPrometheus runs the Debian Prometheus with the configuration template at tmplPath
// (e.g. hack/demo/prometheus.yml.tmpl), whose {{TARGET}} is replaced by target, the
// koordlet stand-in's host:port. It returns once Prometheus is ready, with its base URL.
func StartPrometheus(ctx context.Context, bin, tmplPath, dir, target string) (*Proc, string, error) {
	tmpl, err := os.ReadFile(tmplPath)
	if err != nil {
		return nil, "", err
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(string(tmpl), "{{TARGET}}", target)), 0o644); err != nil {
		return nil, "", err
	}
	port, err := FreePort()
	if err != nil {
		return nil, "", err
	}
	url := "http://" + Loopback(port)
	p, err := StartProc(dir, "prometheus", nil, bin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus-data"),
		"--web.listen-address="+Loopback(port),
		"--storage.tsdb.retention.time=1d")
	if err != nil {
		return nil, "", err
	}
	err = WaitFor(ctx, p, 60*time.Second, "Prometheus ready", func() error { return HTTPOK(url+"/-/ready", "") })
	if err != nil {
		return p, url, fmt.Errorf("prometheus: %w", err)
	}
	return p, url, nil
}

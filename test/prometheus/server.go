package prometheus

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Server is a running Prometheus loaded with backfilled series.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL    string
	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
}

// Start backfills series and starts Prometheus on them; the server stops when the test ends.
func Start(t testing.TB, series []Series) *Server {
	t.Helper()
	return StartOpenMetrics(t, RenderOpenMetrics(series))
}

// StartOpenMetrics is Start with the OpenMetrics text given as is.
func StartOpenMetrics(t testing.TB, text string) *Server {
	t.Helper()
	bins := realcomponents.Require(t, "prometheus", "promtool")
	prometheusBin, promtool := bins[0], bins[1]

	dir := t.TempDir()
	input := filepath.Join(dir, "series.om")
	if err := os.WriteFile(input, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", input, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
	config := filepath.Join(dir, "prometheus.yml")
	// No scrape jobs: the backfilled blocks are the only data.
	if err := os.WriteFile(config, []byte("global:\n  scrape_interval: 1h\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s := &Server{URL: "http://" + addr, log: &lockedBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(prometheusBin,
		"--config.file="+config,
		"--storage.tsdb.path="+data,
		// Backfilled samples may be far in the past: keep them.
		"--storage.tsdb.retention.time=36500d",
		"--web.listen-address="+addr,
	)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.stop)
	if err := s.waitReady(30 * time.Second); err != nil {
		t.Fatalf("prometheus not ready: %v\n%s", err, s.log.String())
	}
	return s
}

func (s *Server) waitReady(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/-/ready", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("prometheus exited: %v", s.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("no 200 from /-/ready within %s (last error: %v)", timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// lockedBuffer collects Prometheus' output while the process writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Package e2e runs the real guarder binary: against real process trees (yarnproctest), a
// Kerberos NodeManager endpoint, and koordlet's socket.
package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
)

// TestMain lets the test binary also act as the stand-in NM and container-executor of
// yarnproctest trees.
func TestMain(m *testing.M) { yarnproctest.Main(m) }

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildGuarder builds cmd/guarder once per test run.
func buildGuarder(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "guarder-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "guarder")
		out, err := exec.Command("go", "build", "-o", builtBin, "github.com/elasticyarn/elastic-yarn-operator/cmd/guarder").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// guarder is a running guarder binary.
type guarder struct {
	Base   string
	Token  string
	Stderr *lockedBuffer
	Cmd    *exec.Cmd
	// Exited receives the process's wait result once.
	Exited chan error
}

// startGuarder runs the binary with its API on a free loopback port, a token file, the NM at
// nmURL, args and extra environment, and waits until it is ready. It is stopped with SIGTERM
// when the test ends (unless the test stopped it).
func startGuarder(t *testing.T, nmURL string, args, env []string) *guarder {
	t.Helper()
	g := &guarder{Token: "e2e-token-" + strings.ReplaceAll(t.Name(), "/", "-"), Stderr: &lockedBuffer{}, Exited: make(chan error, 1)}
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(g.Token), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	g.Base = "http://" + addr
	g.Cmd = exec.Command(buildGuarder(t), append([]string{"-listen-address", addr, "-token-file", tokenFile, "-nm-url", nmURL}, args...)...)
	g.Cmd.Env = append(os.Environ(), env...)
	g.Cmd.Stderr = g.Stderr
	if err := g.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { g.Exited <- g.Cmd.Wait() }()
	t.Cleanup(func() {
		_ = g.Cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-g.Exited:
		case <-time.After(20 * time.Second):
			_ = g.Cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(g.Base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return g
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, g.Stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// targetAnswer is the part of api.TargetResponse the tests read (the full report does not
// decode back into Go types: selection.Tier only marshals).
type targetAnswer struct {
	Report struct {
		Error string `json:"error"`
	} `json:"report"`
}

// post sends body to POST /v1/target with auth ("" for none) and returns the status and the
// decoded answer (zero unless 200).
func (g *guarder) post(t *testing.T, auth, body string) (int, targetAnswer) {
	t.Helper()
	req, _ := http.NewRequest("POST", g.Base+"/v1/target", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out targetAnswer
	if resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

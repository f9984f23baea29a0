package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
)

func TestParseFlagsRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-weight-graceful", "-1"},
		{"-scan-interval", "0s"},
		{"-grace-period", "-1s"},
		{"-no-such-flag"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	o, err := parseFlags(nil)
	if err != nil || o.safetyNet || o.dryRun || o.procRoot != "/proc" || o.cgroupHierarchy != "/hadoop-yarn" {
		t.Fatalf("defaults %+v %v", o, err)
	}
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

// TestBinaryServesAndShutsDownCleanly builds the real binary, runs it against the real /proc
// and a fake NM, exercises the API and stops it with SIGTERM.
func TestBinaryServesAndShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "guarder")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const token = "binary-test-token-123"
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	nm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"containers":null}`)
	}))
	defer nm.Close()
	addr := freeAddr(t)

	var stderr lockedBuffer
	cmd := exec.Command(bin, "-listen-address", addr, "-token-file", tokenFile, "-nm-url", nm.URL,
		"-scan-interval", "1s", "-dry-run", "-signal-policy", "TermOnly", "-v", "1")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	post := func(auth, body string) int {
		req, _ := http.NewRequest("POST", base+"/v1/target", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("Bearer wrong", `{"vcores":1,"memoryMB":1,"reason":"x"}`); got != 401 {
		t.Fatalf("wrong token: %d", got)
	}
	if got := post("Bearer "+token, `{"vcores":1,"memoryMB":1,"reason":"binary test"}`); got != 200 {
		t.Fatalf("valid target: %d\n%s", got, stderr.String())
	}
	// The version endpoint is open and reports the contract and the policy in force.
	vresp, err := http.Get(base + "/version")
	if err != nil {
		t.Fatal(err)
	}
	var info contract.Info
	if err := json.NewDecoder(vresp.Body).Decode(&info); err != nil || vresp.StatusCode != 200 {
		t.Fatalf("/version: %d %v", vresp.StatusCode, err)
	}
	vresp.Body.Close()
	if info.Contract != contract.Current || !info.Has(contract.CapabilitySignalPolicy) || !info.Has(contract.CapabilityProcessTrees) ||
		info.Settings[contract.CapabilitySignalPolicy] != "TermOnly" || info.Version == "" {
		t.Fatalf("/version: %+v", info)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(data), "elastic_yarn_guarder_target_vcores 1") {
		t.Fatalf("target gauge not set:\n%s", data)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no clean shutdown after SIGTERM")
	}
	logs := stderr.String()
	if strings.Contains(logs, token) {
		t.Fatal("the token appeared in the logs")
	}
	for _, want := range []string{`"msg":"starting guarder"`, `"signalPolicy":"TermOnly"`, `"msg":"target received"`, `"msg":"shutting down"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprintf("127.0.0.1:%d", ln.Addr().(*net.TCPAddr).Port)
}

// TestStartRefusesAnUnusableTokenFile: a missing, empty or whitespace-only token file stops the
// guarder at start-up; an API that denies every request would look healthy.
func TestStartRefusesAnUnusableTokenFile(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]*string{
		"missing": nil, "empty": ptr(""), "whitespace-only": ptr(" \n\t\r\n "),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if content != nil {
				if err := os.WriteFile(path, []byte(*content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := runMain([]string{"-token-file", path, "-listen-address", "127.0.0.1:0"})
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("runMain: %v, want an error naming %s", err, path)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestStartRefusesAKeytabWithoutTheNodeManagerPrincipal: with -nm-principal the guarder checks
// at start-up that the mounted keytab holds it, and names what the keytab holds instead.
func TestStartRefusesAKeytabWithoutTheNodeManagerPrincipal(t *testing.T) {
	k := kdc.Start(t)
	k.AddPrincipal(t, "nm/nm1.example.test", "HTTP/nm1.example.test")
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("a-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(contract.EnvNodeManagerPrincipal, "HTTP/nm1.example.test@"+k.Realm)
	t.Setenv(contract.EnvNodeManagerKeytab, k.KeytabFile(t, "nm/nm1.example.test"))
	t.Setenv(contract.EnvKrb5Config, k.Krb5ConfPath())
	err := runMain([]string{"-token-file", token, "-listen-address", "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "NodeManager SPNEGO") || !strings.Contains(err.Error(), "nm/nm1.example.test@"+k.Realm) {
		t.Fatalf("runMain: %v", err)
	}
}

package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// TestBinaryServesAndShutsDownCleanly runs the real binary against the real /proc and a fake
// NM, exercises the API and stops it with SIGTERM.
func TestBinaryServesAndShutsDownCleanly(t *testing.T) {
	nm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"containers":null}`)
	}))
	defer nm.Close()
	g := startGuarder(t, nm.URL, []string{"-scan-interval", "1s", "-dry-run", "-signal-policy", "TermOnly", "-v", "1"}, nil)

	if got, _ := g.post(t, "Bearer wrong", `{"vcores":1,"memoryMB":1,"reason":"x"}`); got != 401 {
		t.Fatalf("wrong token: %d", got)
	}
	if got, _ := g.post(t, "Bearer "+g.Token, `{"vcores":1,"memoryMB":1,"reason":"binary test"}`); got != 200 {
		t.Fatalf("valid target: %d\n%s", got, g.Stderr.String())
	}
	// The version endpoint is open and reports the contract and the policy in force.
	vresp, err := http.Get(g.Base + "/version")
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
	resp, err := http.Get(g.Base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(data), "elastic_yarn_guarder_target_vcores 1") {
		t.Fatalf("target gauge not set:\n%s", data)
	}

	if err := g.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-g.Exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, g.Stderr.String())
		}
		g.Exited <- nil // for the cleanup
	case <-time.After(20 * time.Second):
		t.Fatal("no clean shutdown after SIGTERM")
	}
	logs := g.Stderr.String()
	if strings.Contains(logs, g.Token) {
		t.Fatal("the token appeared in the logs")
	}
	for _, want := range []string{`"msg":"starting guarder"`, `"signalPolicy":"TermOnly"`, `"msg":"target received"`, `"msg":"shutting down"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

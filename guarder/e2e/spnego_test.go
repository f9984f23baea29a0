package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient/nmtest"
)

// TestBinaryUsesNodeManagerSPNEGO runs the real guarder binary configured as the operator
// configures it for a Kerberos pool (the NM's HTTP/<fqdn> principal, the StaticIP keytab and
// krb5.conf through the environment) against an NM web endpoint that requires SPNEGO, with
// tickets from a real MIT KDC. Targets are decided with the NM's allocations (no "node manager
// unavailable"), the Kerberos exchange happens once and the hadoop.auth cookie carries the rest.
func TestBinaryUsesNodeManagerSPNEGO(t *testing.T) {
	const fqdn = "nm7.example.test"
	k := kdc.Start(t)
	principal := "HTTP/" + fqdn
	k.AddPrincipal(t, "nm/"+fqdn, principal)
	serviceKT := keytab.New()
	if err := serviceKT.Unmarshal(k.Keytab(t, principal)); err != nil {
		t.Fatal(err)
	}
	nm := nmtest.New(`{"containers":{"container":[{"id":"container_e17_1410901177871_0051_01_000002","state":"RUNNING","totalVCoresNeeded":2,"totalMemoryNeededMB":2048}]}}`)
	srv := httptest.NewServer(nm.Handler(serviceKT))
	defer srv.Close()

	bin := buildGuarder(t)
	dir := t.TempDir()
	const token = "spnego-test-token"
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	var stderr lockedBuffer
	cmd := exec.Command(bin, "-listen-address", addr, "-token-file", tokenFile, "-nm-url", srv.URL, "-scan-interval", "1h")
	cmd.Env = append(os.Environ(),
		contract.EnvNodeManagerPrincipal+"="+principal+"@"+k.Realm,
		contract.EnvNodeManagerKeytab+"="+k.KeytabFile(t, "nm/"+fqdn, principal),
		contract.EnvKrb5Config+"="+k.Krb5ConfPath())
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	base := "http://" + addr
	waitReady(t, base, &stderr)

	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("POST", base+"/v1/target", strings.NewReader(`{"vcores":0,"memoryMB":0,"reason":"spnego","dryRun":true}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body api.TargetResponse
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || body.Report.Error != "" {
			t.Fatalf("target %d: %d %v %q\n%s", i, resp.StatusCode, err, body.Report.Error, stderr.String())
		}
	}
	if n := nm.Handshakes(); n != 1 {
		t.Errorf("%d Kerberos exchanges for 3 targets, want 1", n)
	}
	if users := nm.Users(); len(users) == 0 || users[0] != principal {
		t.Errorf("authenticated as %v, want %s", users, principal)
	}
	if strings.Contains(stderr.String(), "Negotiate ") {
		t.Error("an Authorization header reached the logs")
	}
}

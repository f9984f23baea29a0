package e2e_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/keytab"

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

	g := startGuarder(t, srv.URL, []string{"-scan-interval", "1h"}, []string{
		contract.EnvNodeManagerPrincipal + "=" + principal + "@" + k.Realm,
		contract.EnvNodeManagerKeytab + "=" + k.KeytabFile(t, "nm/"+fqdn, principal),
		contract.EnvKrb5Config + "=" + k.Krb5ConfPath(),
	})
	for i := 0; i < 3; i++ {
		code, body := g.post(t, "Bearer "+g.Token, `{"vcores":0,"memoryMB":0,"reason":"spnego","dryRun":true}`)
		if code != 200 || body.Report.Error != "" {
			t.Fatalf("target %d: %d %q\n%s", i, code, body.Report.Error, g.Stderr.String())
		}
	}
	if n := nm.Handshakes(); n != 1 {
		t.Errorf("%d Kerberos exchanges for 3 targets, want 1", n)
	}
	if users := nm.Users(); len(users) == 0 || users[0] != principal {
		t.Errorf("authenticated as %v, want %s", users, principal)
	}
	if strings.Contains(g.Stderr.String(), "Negotiate ") {
		t.Error("an Authorization header reached the logs")
	}
}

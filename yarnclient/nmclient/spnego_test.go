package nmclient_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient/nmtest"
)

// nmFQDN is the NodeManager's name; its web principal is HTTP/<fqdn>, as
// hadoop.http.authentication.kerberos.principal=HTTP/_HOST makes it.
const nmFQDN = "nm1.example.test"

// TestNodeManagerSPNEGOAgainstRealKDC: the guarder's NM client authenticates to an NM web
// endpoint that requires Kerberos, with the NM's own HTTP/<fqdn> keytab as the guarder mounts
// it, tickets from a real MIT KDC, and the RM client's SPNEGO code path; the hadoop.auth
// cookie saves the Kerberos exchange on later calls and is renewed when refused.
func TestNodeManagerSPNEGOAgainstRealKDC(t *testing.T) {
	k := kdc.Start(t)
	principal := "HTTP/" + nmFQDN
	k.AddPrincipal(t, principal, "nm/"+nmFQDN)
	// The StaticIP keytab holds both NM principals; the guarder mounts it as the NM does.
	nodeKeytab := k.Keytab(t, "nm/"+nmFQDN, principal)
	serviceKT := keytab.New()
	if err := serviceKT.Unmarshal(k.Keytab(t, principal)); err != nil {
		t.Fatal(err)
	}
	nm := nmtest.New(`{"containers":{"container":[{"id":"container_e17_1410901177871_0001_01_000002","state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024}]}}`)
	srv := httptest.NewServer(nm.Handler(serviceKT))
	defer srv.Close()
	ctx := context.Background()

	// Without Kerberos the NM refuses: this is what the guarder used to get.
	if _, err := nmclient.New(srv.URL).Containers(ctx); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("unauthenticated: %v, want HTTP 401", err)
	}

	c, err := nmclient.NewKerberos(srv.URL, &yarnclient.KerberosOptions{
		Principal: principal + "@" + k.Realm, Keytab: nodeKeytab, Krb5Conf: k.Krb5Conf(),
		// The URL says 127.0.0.1 (localhost in the pod); the NM's service principal names its FQDN.
		SPN: func(string) string { return principal },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 5; i++ {
		cs, err := c.Containers(ctx)
		if err != nil || len(cs) != 1 || cs[0].ID != "container_e17_1410901177871_0001_01_000002" {
			t.Fatalf("call %d: %+v %v", i, cs, err)
		}
	}
	if n := nm.Handshakes(); n != 1 {
		t.Fatalf("%d Kerberos exchanges for 5 calls, want 1 (hadoop.auth reuse)", n)
	}
	if nm.Users()[0] != principal {
		t.Errorf("authenticated as %q, want %q", nm.Users()[0], principal)
	}

	// The NM's signer secret changes (restart): the cookie is refused, the client authenticates anew.
	nm.RotateSecret()
	if _, err := c.Containers(ctx); err != nil {
		t.Fatalf("after the secret rotated: %v", err)
	}
	if n := nm.Handshakes(); n != 2 {
		t.Fatalf("%d Kerberos exchanges, want 2", n)
	}

	// A keytab without the principal is refused before any request, with the principals it holds.
	_, err = nmclient.NewKerberos(srv.URL, &yarnclient.KerberosOptions{
		Principal: principal + "@" + k.Realm, Keytab: k.Keytab(t, "nm/"+nmFQDN), Krb5Conf: k.Krb5Conf()})
	if err == nil || !strings.Contains(err.Error(), "nm/"+nmFQDN) {
		t.Fatalf("wrong keytab: %v", err)
	}
}

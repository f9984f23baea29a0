package kdc_test

import (
	"testing"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
)

// TestRealmIssuesServiceTickets proves the harness end to end: a keytab exported from the
// real KDC logs a gokrb5 client in and obtains a ticket for an HTTP service principal.
func TestRealmIssuesServiceTickets(t *testing.T) {
	k := kdc.Start(t)
	k.AddPrincipal(t, "HTTP/localhost", "yarn-operator")

	kt := keytab.New()
	if err := kt.Unmarshal(k.Keytab(t, "yarn-operator")); err != nil {
		t.Fatalf("keytab: %v", err)
	}
	conf, err := config.NewFromString(k.Krb5Conf())
	if err != nil {
		t.Fatalf("krb5.conf: %v", err)
	}
	cl := client.NewWithKeytab("yarn-operator", k.Realm, kt, conf, client.DisablePAFXFAST(true))
	defer cl.Destroy()
	if err := cl.Login(); err != nil {
		t.Fatalf("login: %v", err)
	}
	tkt, _, err := cl.GetServiceTicket("HTTP/localhost")
	if err != nil {
		t.Fatalf("service ticket: %v", err)
	}
	if got := tkt.SName.PrincipalNameString(); got != "HTTP/localhost" {
		t.Fatalf("ticket for %q", got)
	}
}

// TestKeytabKeepsKeysUnlessRekeyed checks that plain exports share a kvno (so keytabs handed
// to several components stay valid together) while Rekey rotates it.
func TestKeytabKeepsKeysUnlessRekeyed(t *testing.T) {
	k := kdc.Start(t)
	k.AddPrincipal(t, "nm/host1.example.test")
	before := k.Kvno(t, "nm/host1.example.test")
	k.Keytab(t, "nm/host1.example.test")
	if got := k.Kvno(t, "nm/host1.example.test"); got != before {
		t.Fatalf("plain export changed kvno %d -> %d", before, got)
	}
	b := k.KeytabWith(t, kdc.KeytabOptions{Rekey: true}, "nm/host1.example.test")
	if got := k.Kvno(t, "nm/host1.example.test"); got != before+1 {
		t.Fatalf("rekey: kvno %d, want %d", got, before+1)
	}
	kt := keytab.New()
	if err := kt.Unmarshal(b); err != nil {
		t.Fatalf("keytab: %v", err)
	}
	for _, e := range kt.Entries {
		if int(e.KVNO) != before+1 {
			t.Fatalf("keytab entry kvno %d, want %d", e.KVNO, before+1)
		}
	}
	aes128 := k.KeytabWith(t, kdc.KeytabOptions{Enctypes: []string{"aes128-cts-hmac-sha1-96"}}, "nm/host1.example.test")
	kt = keytab.New()
	if err := kt.Unmarshal(aes128); err != nil {
		t.Fatalf("keytab: %v", err)
	}
	for _, e := range kt.Entries {
		if e.Key.KeyType != 17 { // aes128-cts-hmac-sha1-96
			t.Fatalf("enctype %d, want 17", e.Key.KeyType)
		}
	}
}

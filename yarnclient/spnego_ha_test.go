package yarnclient_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// TestSPNEGOWithFailover: discovery and calls authenticate on each RM; the cookie of one RM is
// never presented to another, so a failover costs exactly one more Kerberos exchange.
func TestSPNEGOWithFailover(t *testing.T) {
	k := kdc.Start(t)
	k.AddPrincipal(t, "HTTP/localhost", clientPrincipal)
	kt := keytab.New()
	if err := kt.Unmarshal(k.Keytab(t, "HTTP/localhost")); err != nil {
		t.Fatal(err)
	}
	e := startEmulator(t, rmemulator.Config{RMs: 2, SPNEGO: &rmemulator.SPNEGOConfig{Keytab: kt}})
	var rms []string
	for _, raw := range e.URLs() {
		u, _ := url.Parse(raw)
		rms = append(rms, "http://localhost:"+u.Port())
	}
	c := newClient(t, yarnclient.Options{RMs: rms, Kerberos: &yarnclient.KerberosOptions{
		Principal: clientPrincipal, Keytab: k.Keytab(t, clientPrincipal), Krb5Conf: k.Krb5Conf()}})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := c.GetNode(ctx, nodeA); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.Handshakes(); got != 1 {
		t.Fatalf("handshakes before failover %d, want 1", got)
	}
	if err := e.Failover(1); err != nil {
		t.Fatal(err)
	}
	e.ReregisterAll() // the new RM knows nodeA once its NM registered again
	for i := 0; i < 5; i++ {
		if _, err := c.GetNode(ctx, nodeA); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.Handshakes(); got != 2 {
		t.Fatalf("handshakes after failover %d, want 2 (one per RM)", got)
	}
	if c.ActiveRM() != rms[1] {
		t.Fatalf("active %s", c.ActiveRM())
	}
}

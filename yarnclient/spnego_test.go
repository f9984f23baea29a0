package yarnclient_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

const clientPrincipal = "yarn-operator"

// secureRM is a real KDC plus an emulator that requires SPNEGO with the HTTP/localhost key.
type secureRM struct {
	kdc       *kdc.KDC
	emu       *rmemulator.Emulator
	clientKT  []byte
	localhost string // the RM URL with host "localhost" (SPN HTTP/localhost exists)
	ip        string // the same RM by IP (SPN HTTP/127.0.0.1 does not exist)
}

func startSecureRM(t testing.TB, offset time.Duration) *secureRM {
	t.Helper()
	k := kdc.Start(t)
	k.AddPrincipal(t, "HTTP/localhost", clientPrincipal)
	kt := keytab.New()
	if err := kt.Unmarshal(k.Keytab(t, "HTTP/localhost")); err != nil {
		t.Fatal(err)
	}
	e := startEmulator(t, rmemulator.Config{SPNEGO: &rmemulator.SPNEGOConfig{Keytab: kt, ClockOffset: offset}})
	u, _ := url.Parse(e.URL())
	return &secureRM{kdc: k, emu: e, clientKT: k.Keytab(t, clientPrincipal),
		localhost: "http://localhost:" + u.Port(), ip: e.URL()}
}

func (s *secureRM) client(t testing.TB, rm string, mod func(*yarnclient.KerberosOptions)) *yarnclient.Client {
	t.Helper()
	ko := &yarnclient.KerberosOptions{Principal: clientPrincipal, Keytab: s.clientKT, Krb5Conf: s.kdc.Krb5Conf()}
	if mod != nil {
		mod(ko)
	}
	return newClient(t, yarnclient.Options{RMs: []string{rm}, Kerberos: ko})
}

func TestSPNEGOAgainstRealKDC(t *testing.T) {
	s := startSecureRM(t, 0)
	ctx := context.Background()

	t.Run("success and cookie reuse", func(t *testing.T) {
		c := s.client(t, s.localhost, nil)
		before := s.emu.Handshakes()
		for i := 0; i < 10; i++ {
			if _, err := c.GetNode(ctx, nodeA); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if _, err := c.UpdateNodeResource(ctx, nodeA, yarnclient.Resource{MemoryMB: 8192, VCores: 4}); err != nil {
			t.Fatal(err)
		}
		if got := s.emu.Handshakes() - before; got != 1 {
			t.Fatalf("%d Kerberos handshakes for 11+ calls, want 1 (hadoop.auth reused)", got)
		}
	})
	t.Run("rejected cookie triggers one new negotiation", func(t *testing.T) {
		c := s.client(t, s.localhost, nil)
		if _, err := c.GetNode(ctx, nodeA); err != nil {
			t.Fatal(err)
		}
		before := s.emu.Handshakes()
		s.emu.RotateCookieSecret()
		for i := 0; i < 3; i++ {
			if _, err := c.GetNode(ctx, nodeA); err != nil {
				t.Fatalf("after secret rotation: %v", err)
			}
		}
		if got := s.emu.Handshakes() - before; got != 1 {
			t.Fatalf("%d handshakes after rotation, want 1", got)
		}
	})
	t.Run("without cookie reuse every call negotiates", func(t *testing.T) {
		c := s.client(t, s.localhost, func(o *yarnclient.KerberosOptions) { o.DisableCookieReuse = true })
		before := s.emu.Handshakes()
		for i := 0; i < 3; i++ {
			if _, err := c.GetNode(ctx, nodeA); err != nil {
				t.Fatal(err)
			}
		}
		if got := s.emu.Handshakes() - before; got != 3 {
			t.Fatalf("%d handshakes, want 3", got)
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		c := newClient(t, yarnclient.Options{RMs: []string{s.localhost}})
		_, err := c.GetNode(ctx, nodeA)
		mustKind(t, err, yarnclient.ErrAuthentication)
		if !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "Negotiate") {
			t.Fatalf("want 401 Negotiate in %v", err)
		}
	})
	t.Run("wrong SPN", func(t *testing.T) {
		// By IP the SPN is HTTP/127.0.0.1, which the KDC does not know (Hadoop needs the FQDN).
		c := s.client(t, s.ip, nil)
		_, err := c.GetNode(ctx, nodeA)
		mustKind(t, err, yarnclient.ErrUnknownServerPrincipal)
		t.Logf("wrong SPN error: %v", err)
		mustKind(t, err, yarnclient.ErrAuthentication)
	})
	t.Run("service key mismatch", func(t *testing.T) {
		// A valid ticket for another service the RM has no key for: the RM rejects it with 403.
		s.kdc.AddPrincipal(t, "HTTP/other.example.test")
		c := s.client(t, s.localhost, func(o *yarnclient.KerberosOptions) {
			o.SPN = func(string) string { return "HTTP/other.example.test" }
		})
		_, err := c.GetNode(ctx, nodeA)
		mustKind(t, err, yarnclient.ErrAuthentication)
		if yarnclient.KindOf(err) != yarnclient.KindAuthentication || !strings.Contains(err.Error(), "403") {
			t.Fatalf("want a plain 403 authentication failure: %v", err)
		}
	})
	t.Run("principal absent from keytab", func(t *testing.T) {
		_, err := yarnclient.New(yarnclient.Options{RMs: []string{s.localhost}, Kerberos: &yarnclient.KerberosOptions{
			Principal: "someone-else", Keytab: s.clientKT, Krb5Conf: s.kdc.Krb5Conf()}})
		mustKind(t, err, yarnclient.ErrKeytabPrincipal)
		if !strings.Contains(err.Error(), clientPrincipal+"@") {
			t.Fatalf("error should name what the keytab holds: %v", err)
		}
	})
	t.Run("keytab and krb5.conf from files", func(t *testing.T) {
		c := s.client(t, s.localhost, func(o *yarnclient.KerberosOptions) {
			o.Keytab, o.Krb5Conf = nil, ""
			o.KeytabPath = s.kdc.KeytabFile(t, clientPrincipal)
			o.Krb5ConfPath = s.kdc.Krb5ConfPath()
		})
		if _, err := c.ClusterInfo(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSPNEGOClockSkew(t *testing.T) {
	// The RM's clock runs 10 minutes ahead: beyond the 5-minute skew every authenticator is
	// rejected with KRB_AP_ERR_SKEW, which the client reports as its own kind.
	s := startSecureRM(t, 10*time.Minute)
	c := s.client(t, s.localhost, nil)
	_, err := c.GetNode(context.Background(), nodeA)
	mustKind(t, err, yarnclient.ErrClockSkew)
	mustKind(t, err, yarnclient.ErrAuthentication)
	t.Logf("clock skew error: %v", err)
	if s.emu.Handshakes() != 0 {
		t.Fatalf("handshakes %d", s.emu.Handshakes())
	}
}

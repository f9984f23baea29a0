package nmclient_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jcmturner/goidentity/v6"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"

	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

// nmFQDN is the NodeManager's name; its web principal is HTTP/<fqdn>, as
// hadoop.http.authentication.kerberos.principal=HTTP/_HOST makes it.
const nmFQDN = "nm1.example.test"

// secureNM is the NM web endpoint behind Hadoop's AuthenticationFilter with
// hadoop.http.authentication.type=kerberos: without credentials 401 + "WWW-Authenticate:
// Negotiate"; a valid SPNEGO token (checked by gokrb5's service side against the NM's keytab)
// gets the page and a signed hadoop.auth cookie, which then authenticates by itself.
type secureNM struct {
	mu         sync.Mutex
	secret     []byte
	handshakes atomic.Int64
	users      []string
}

func (s *secureNM) sign(v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(v))
	return v + "&s=" + hex.EncodeToString(m.Sum(nil))
}

func (s *secureNM) rotateSecret() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = make([]byte, 32)
	_, _ = rand.Read(s.secret)
}

func (s *secureNM) handler(kt *keytab.Keytab) http.Handler {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"containers":{"container":[{"id":"container_e17_1410901177871_0001_01_000002","state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024}]}}`)
	})
	afterSPNEGO := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := goidentity.FromHTTPRequestContext(r)
		if id == nil {
			http.Error(w, "no identity", http.StatusInternalServerError)
			return
		}
		user := id.UserName()
		s.mu.Lock()
		s.users = append(s.users, user)
		s.mu.Unlock()
		s.handshakes.Add(1)
		v := fmt.Sprintf("u=%s&p=%s@%s&t=kerberos&e=%d", user, user, "X", time.Now().Add(time.Hour).UnixMilli())
		w.Header().Add("Set-Cookie", `hadoop.auth="`+s.sign(v)+`"; Path=/; HttpOnly`)
		page.ServeHTTP(w, r)
	})
	// MIT tickets carry no PAC (an Active Directory feature).
	krb := spnego.SPNEGOKRB5Authenticate(afterSPNEGO, kt, service.Logger(log.New(io.Discard, "", 0)), service.DecodePAC(false))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("hadoop.auth"); err == nil {
			v := strings.Trim(c.Value, `"`)
			if i := strings.LastIndex(v, "&s="); i > 0 && hmac.Equal([]byte(s.sign(v[:i])), []byte(v)) {
				page.ServeHTTP(w, r)
				return
			}
			// Hadoop answers an invalid cookie like no credentials at all.
			w.Header().Set("WWW-Authenticate", "Negotiate")
			http.Error(w, "Authentication required", http.StatusUnauthorized)
			return
		}
		krb.ServeHTTP(w, r)
	})
}

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
	nm := &secureNM{}
	nm.rotateSecret()
	srv := httptest.NewServer(nm.handler(serviceKT))
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
	if n := nm.handshakes.Load(); n != 1 {
		t.Fatalf("%d Kerberos exchanges for 5 calls, want 1 (hadoop.auth reuse)", n)
	}
	if nm.users[0] != principal {
		t.Errorf("authenticated as %q, want %q", nm.users[0], principal)
	}

	// The NM's signer secret changes (restart): the cookie is refused, the client authenticates anew.
	nm.rotateSecret()
	if _, err := c.Containers(ctx); err != nil {
		t.Fatalf("after the secret rotated: %v", err)
	}
	if n := nm.handshakes.Load(); n != 2 {
		t.Fatalf("%d Kerberos exchanges, want 2", n)
	}

	// A keytab without the principal is refused before any request, with the principals it holds.
	_, err = nmclient.NewKerberos(srv.URL, &yarnclient.KerberosOptions{
		Principal: principal + "@" + k.Realm, Keytab: k.Keytab(t, "nm/"+nmFQDN), Krb5Conf: k.Krb5Conf()})
	if err == nil || !strings.Contains(err.Error(), "nm/"+nmFQDN) {
		t.Fatalf("wrong keytab: %v", err)
	}
}

// Package nmtest serves a NodeManager web endpoint behind Hadoop's AuthenticationFilter with
// hadoop.http.authentication.type=kerberos, for tests: gokrb5's SPNEGO service side checks
// tokens against the NM's HTTP/<fqdn> keytab, and a signed hadoop.auth cookie then
// authenticates by itself until the signer secret changes.
package nmtest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jcmturner/goidentity/v6"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// SecureNM answers GET /ws/v1/node/containers with Containers to authenticated clients.
type SecureNM struct {
	// Containers is the JSON body of /ws/v1/node/containers.
	Containers string

	mu         sync.Mutex
	secret     []byte
	users      []string
	handshakes atomic.Int64
}

// New returns a SecureNM with a fresh signer secret.
func New(containersJSON string) *SecureNM {
	s := &SecureNM{Containers: containersJSON}
	s.RotateSecret()
	return s
}

// Handshakes counts successful Kerberos exchanges (not cookie reuses).
func (s *SecureNM) Handshakes() int64 { return s.handshakes.Load() }

// Users lists the principals that authenticated with Kerberos, in order.
func (s *SecureNM) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.users...)
}

// RotateSecret changes the cookie signer secret, as an NM restart does: cookies are refused.
func (s *SecureNM) RotateSecret() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = make([]byte, 32)
	_, _ = rand.Read(s.secret)
}

func (s *SecureNM) sign(v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(v))
	return v + "&s=" + hex.EncodeToString(m.Sum(nil))
}

// Handler authenticates with kt (the NM's HTTP/<fqdn> keys).
func (s *SecureNM) Handler(kt *keytab.Keytab) http.Handler {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws/v1/node/containers" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, s.Containers)
	})
	afterSPNEGO := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := goidentity.FromHTTPRequestContext(r)
		if id == nil {
			http.Error(w, "no identity", http.StatusInternalServerError)
			return
		}
		s.mu.Lock()
		s.users = append(s.users, id.UserName())
		s.mu.Unlock()
		s.handshakes.Add(1)
		v := fmt.Sprintf("u=%s&p=%s@%s&t=kerberos&e=%d", id.UserName(), id.UserName(), id.Domain(), time.Now().Add(time.Hour).UnixMilli())
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

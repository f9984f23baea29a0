package rmemulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// cookieName is Hadoop's AuthenticationFilter cookie.
const cookieName = "hadoop.auth"

// gokrb5 stores the authenticated identity in the context under this (string) key.
const gokrb5CtxCredentials = "github.com/jcmturner/gokrb5/v8/ctxCredentials"

// authenticate is Hadoop's AuthenticationFilter: without SPNEGO the user comes from user.name
// (pseudo authentication, default dr.who); with SPNEGO a valid hadoop.auth cookie or a Kerberos
// token is required. It writes the error response itself and returns ok=false on failure.
func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	s := e.cfg.SPNEGO
	if s == nil {
		if u := r.URL.Query().Get("user.name"); u != "" {
			return u, true
		}
		return "dr.who", true
	}
	if c, err := r.Cookie(cookieName); err == nil {
		if user, ok := e.verifyCookie(c.Value); ok {
			return user, true
		}
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if scheme != "Negotiate" || token == "" {
		w.Header().Set("WWW-Authenticate", "Negotiate")
		w.Header().Set("Content-Type", "text/html;charset=iso-8859-1")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<html><body><h2>HTTP ERROR 401</h2><p>Authentication required</p></body></html>\n"))
		return "", false
	}
	user, principal, err := e.acceptToken(token)
	if err != nil {
		// Hadoop answers a failed GSS exchange with 403 and the GSSException text.
		w.Header().Set("Content-Type", "text/html;charset=iso-8859-1")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, "GSSException: Failure unspecified at GSS-API level (Mechanism level: %s)\n", err)
		return "", false
	}
	e.handshakes.Add(1)
	w.Header().Add("Set-Cookie", cookieName+`="`+e.signCookie(user, principal)+`"; Path=/; HttpOnly`)
	// The accept-completed SPNEGO response token (mutual authentication is not requested).
	w.Header().Set("WWW-Authenticate", "Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==")
	return user, true
}

// acceptToken validates a SPNEGO token and returns the short user name and full principal.
func (e *Emulator) acceptToken(b64 string) (string, string, error) {
	s := e.cfg.SPNEGO
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", "", fmt.Errorf("defective token: %v", err)
	}
	var st spnego.SPNEGOToken
	if err := st.Unmarshal(raw); err != nil || !st.Init {
		return "", "", fmt.Errorf("defective token: not a SPNEGO NegTokenInit")
	}
	if s.ClockOffset == 0 {
		// The genuine gokrb5 service side: ticket decryption, validity, authenticator, skew and
		// replay cache, all against the real clock.
		svc := spnego.SPNEGOService(s.Keytab, service.MaxClockSkew(s.MaxClockSkew), service.DecodePAC(false))
		ok, ctx, status := svc.AcceptSecContext(&st)
		if !ok {
			return "", "", fmt.Errorf("%s", status.Message)
		}
		creds, _ := ctx.Value(gokrb5CtxCredentials).(*credentials.Credentials)
		if creds == nil {
			return "", "", fmt.Errorf("no credentials in accepted context")
		}
		return shortName(creds.UserName()), creds.UserName() + "@" + creds.Domain(), nil
	}
	// A deliberately shifted RM clock: the same checks as gokrb5's APReq.Verify, but "now" is
	// the RM's (wrong) time, which is what produces KRB_AP_ERR_SKEW on a drifted server.
	var k5 spnego.KRB5Token
	if err := k5.Unmarshal(st.NegTokenInit.MechTokenBytes); err != nil {
		return "", "", fmt.Errorf("defective token: %v", err)
	}
	return verifyAPReqAt(s, &k5.APReq, e.cfg.Now().Add(s.ClockOffset))
}

func verifyAPReqAt(s *SPNEGOConfig, a *messages.APReq, now time.Time) (string, string, error) {
	if err := a.Ticket.DecryptEncPart(s.Keytab, nil); err != nil {
		return "", "", err
	}
	if err := a.DecryptAuthenticator(a.Ticket.DecryptedEncPart.Key); err != nil {
		return "", "", messages.NewKRBError(a.Ticket.SName, a.Ticket.Realm, errorcode.KRB_AP_ERR_BAD_INTEGRITY, "could not decrypt authenticator")
	}
	ct := a.Authenticator.CTime.Add(time.Duration(a.Authenticator.Cusec) * time.Microsecond)
	if now.Sub(ct) > s.MaxClockSkew || ct.Sub(now) > s.MaxClockSkew {
		return "", "", messages.NewKRBError(a.Ticket.SName, a.Ticket.Realm, errorcode.KRB_AP_ERR_SKEW,
			fmt.Sprintf("Clock skew too great (37): client %s, server %s", ct.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
	}
	if ok, err := a.Ticket.Valid(s.MaxClockSkew); !ok || err != nil {
		return "", "", fmt.Errorf("ticket not valid: %v", err)
	}
	if !a.Authenticator.CName.Equal(a.Ticket.DecryptedEncPart.CName) {
		return "", "", messages.NewKRBError(a.Ticket.SName, a.Ticket.Realm, errorcode.KRB_AP_ERR_BADMATCH, "CName mismatch")
	}
	name := a.Authenticator.CName.PrincipalNameString()
	return shortName(name), name + "@" + a.Authenticator.CRealm, nil
}

// shortName applies Hadoop's default auth_to_local rule: the first component.
func shortName(principal string) string {
	name, _, _ := strings.Cut(principal, "@")
	first, _, _ := strings.Cut(name, "/")
	return first
}

// signCookie builds a Hadoop AuthToken string, u=..&p=..&t=kerberos&e=<ms>&s=<hmac>.
func (e *Emulator) signCookie(user, principal string) string {
	exp := e.cfg.Now().Add(e.cfg.SPNEGO.CookieValidity).UnixMilli()
	payload := "u=" + user + "&p=" + principal + "&t=kerberos&e=" + strconv.FormatInt(exp, 10)
	return payload + "&s=" + e.mac(payload)
}

func (e *Emulator) mac(payload string) string {
	e.secretMu.Lock()
	secret := e.cookieSecret
	e.secretMu.Unlock()
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// verifyCookie checks the signature and expiry and returns the user.
func (e *Emulator) verifyCookie(v string) (string, bool) {
	v = strings.Trim(v, `"`)
	i := strings.LastIndex(v, "&s=")
	if i < 0 {
		return "", false
	}
	payload, sig := v[:i], v[i+3:]
	if subtle.ConstantTimeCompare([]byte(sig), []byte(e.mac(payload))) != 1 {
		return "", false
	}
	var user string
	var exp int64
	for _, kv := range strings.Split(payload, "&") {
		k, val, _ := strings.Cut(kv, "=")
		switch k {
		case "u":
			user = val
		case "e":
			exp, _ = strconv.ParseInt(val, 10, 64)
		}
	}
	if user == "" || e.cfg.Now().UnixMilli() >= exp {
		return "", false
	}
	return user, true
}

// RotateCookieSecret changes the secret that signs hadoop.auth, as an RM restart with a random
// signer secret does: every cookie issued before is rejected and clients must negotiate again.
func (e *Emulator) RotateCookieSecret() {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	e.secretMu.Lock()
	e.cookieSecret = secret
	e.secretMu.Unlock()
}

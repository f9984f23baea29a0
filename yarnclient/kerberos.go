package yarnclient

import (
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// kerberos produces SPNEGO Authorization headers from a keytab. The gokrb5 client logs in once
// (lazily, so constructing a Client needs no KDC), renews its TGT by itself and caches service
// tickets, so after the first call a token costs no KDC round trip; the hadoop.auth cookie
// (cookies.go) then saves even the token.
type kerberos struct {
	user, realm string
	kt          *keytab.Keytab
	conf        *config.Config
	spn         func(host string) string

	mu sync.Mutex
	cl *client.Client
}

func newKerberos(o *KerberosOptions) (*kerberos, error) {
	ktBytes := o.Keytab
	if len(ktBytes) == 0 && o.KeytabPath != "" {
		b, err := os.ReadFile(o.KeytabPath)
		if err != nil {
			return nil, &Error{Kind: KindAuthentication, Op: "Kerberos", Message: "read keytab", Err: err}
		}
		ktBytes = b
	}
	kt := keytab.New()
	if err := kt.Unmarshal(ktBytes); err != nil {
		return nil, &Error{Kind: KindAuthentication, Op: "Kerberos", Message: "parse keytab", Err: err}
	}
	var conf *config.Config
	var err error
	switch {
	case o.Krb5Conf != "":
		conf, err = config.NewFromString(o.Krb5Conf)
	case o.Krb5ConfPath != "":
		conf, err = config.Load(o.Krb5ConfPath)
	default:
		err = fmt.Errorf("no krb5.conf given")
	}
	if err != nil {
		return nil, &Error{Kind: KindAuthentication, Op: "Kerberos", Message: "krb5.conf", Err: err}
	}
	user, realm, _ := strings.Cut(o.Principal, "@")
	if o.Realm != "" {
		realm = o.Realm
	}
	if realm == "" {
		realm = conf.LibDefaults.DefaultRealm
	}
	if user == "" || realm == "" {
		return nil, &Error{Kind: KindAuthentication, Op: "Kerberos", Message: "principal and realm are required"}
	}
	if !keytabHas(kt, user, realm) {
		return nil, &Error{Kind: KindKeytabPrincipal, Op: "Kerberos",
			Message: fmt.Sprintf("keytab has no key for %s@%s (it holds %s)", user, realm, keytabPrincipals(kt))}
	}
	spn := o.SPN
	if spn == nil {
		spn = func(host string) string { return "HTTP/" + strings.ToLower(host) }
	}
	return &kerberos{user: user, realm: realm, kt: kt, conf: conf, spn: spn}, nil
}

func keytabHas(kt *keytab.Keytab, user, realm string) bool {
	for _, e := range kt.Entries {
		if strings.Join(e.Principal.Components, "/") == user && e.Principal.Realm == realm {
			return true
		}
	}
	return false
}

// keytabPrincipals lists principal names (never keys) to make a mismatch obvious.
func keytabPrincipals(kt *keytab.Keytab) string {
	seen := map[string]bool{}
	var names []string
	for _, e := range kt.Entries {
		n := e.Principal.String()
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

// client returns the logged-in gokrb5 client, logging in on first use.
func (k *kerberos) client() (*client.Client, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cl != nil {
		return k.cl, nil
	}
	// FAST is an AD/FreeIPA feature MIT does not offer by default; gokrb5 would fail on it.
	cl := client.NewWithKeytab(k.user, k.realm, k.kt, k.conf, client.DisablePAFXFAST(true))
	if err := cl.Login(); err != nil {
		return nil, kerberosError("Kerberos login", err)
	}
	k.cl = cl
	return cl, nil
}

// header returns "Negotiate <token>" for the RM at host.
func (k *kerberos) header(host string) (string, error) {
	cl, err := k.client()
	if err != nil {
		return "", err
	}
	spn := k.spn(host)
	s := spnego.SPNEGOClient(cl, spn)
	if err := s.AcquireCred(); err != nil {
		return "", kerberosError("Kerberos credentials", err)
	}
	tok, err := s.InitSecContext()
	if err != nil {
		return "", kerberosError("Kerberos service ticket for "+spn, err)
	}
	b, err := tok.Marshal()
	if err != nil {
		return "", kerberosError("SPNEGO token", err)
	}
	return "Negotiate " + base64.StdEncoding.EncodeToString(b), nil
}

func (k *kerberos) close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cl != nil {
		k.cl.Destroy()
		k.cl = nil
	}
}

// kerberosError maps gokrb5 errors, which carry the KRB error name in their text, to kinds.
func kerberosError(what string, err error) *Error {
	s := err.Error()
	e := &Error{Kind: KindAuthentication, Op: "Kerberos", Message: what, Err: err}
	switch {
	case strings.Contains(s, "KRB_AP_ERR_SKEW"):
		e.Kind = KindClockSkew
	case strings.Contains(s, "KDC_ERR_S_PRINCIPAL_UNKNOWN"):
		e.Kind = KindUnknownServerPrincipal
	case strings.Contains(s, "not found in keytab") || strings.Contains(s, "matching key not found"):
		e.Kind = KindKeytabPrincipal
	}
	return e
}

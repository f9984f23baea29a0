package staticippolicy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// KeytabReason classifies a keytab check. The values are used as condition reasons.
type KeytabReason string

const (
	// KeytabMissing: no Secret, no such key in it, or an empty value.
	KeytabMissing KeytabReason = "KeytabMissing"
	// KeytabUnparsable: the bytes are not a keytab file.
	KeytabUnparsable KeytabReason = "KeytabUnparsable"
	// PrincipalMissing: a required principal (e.g. nm/<fqdn>@REALM) has no key in it.
	PrincipalMissing KeytabReason = "PrincipalMissing"
	// EnctypeNotPermitted: a required principal has no key of an enctype krb5.conf allows.
	EnctypeNotPermitted KeytabReason = "EnctypeNotPermitted"
	// KDCRejected: the KDC refused an AS exchange with the keytab (e.g. the key was rotated
	// and the keytab holds an older kvno).
	KDCRejected KeytabReason = "KDCRejected"
	// KeytabValidReason: every check passed.
	KeytabValidReason KeytabReason = "Valid"
)

// DefaultNodeManagerPrincipals are the principals a NodeManager keytab must hold when the
// pool does not say otherwise (the same default as the API's nodeManagerPrincipals).
var DefaultNodeManagerPrincipals = []string{"nm/{fqdn}", "HTTP/{fqdn}"}

// KeytabResult is the outcome of a keytab check. Message is written for humans (conditions,
// Events, logs) and never contains key material: only principal names, kvnos, enctype names
// and sizes.
type KeytabResult struct {
	Reason  KeytabReason
	Message string
	// Kvno is the key version the required principals' keys carry (the highest, when they
	// differ); 0 when the check failed before it was known.
	Kvno int
}

// Valid reports whether the keytab passed.
func (r KeytabResult) Valid() bool { return r.Reason == KeytabValidReason }

// KeytabInput is what ValidateKeytab checks.
type KeytabInput struct {
	// Data is the keytab file's bytes; empty means missing.
	Data []byte
	// FQDN of the StaticIP, substituted for "{fqdn}".
	FQDN string
	// Realm appended to every principal.
	Realm string
	// Principals are templates such as "nm/{fqdn}"; empty means DefaultNodeManagerPrincipals.
	Principals []string
	// Krb5Conf decides the permitted enctypes (permitted_enctypes and default_tkt_enctypes);
	// nil means gokrb5's defaults.
	Krb5Conf *config.Config
}

// RequiredPrincipals expands principal templates for fqdn and realm, e.g.
// "nm/{fqdn}" -> "nm/host.example.com@EXAMPLE.COM".
func RequiredPrincipals(templates []string, fqdn, realm string) []string {
	if len(templates) == 0 {
		templates = DefaultNodeManagerPrincipals
	}
	out := make([]string, len(templates))
	for i, t := range templates {
		out[i] = strings.ReplaceAll(t, "{fqdn}", fqdn) + "@" + realm
	}
	return out
}

// ValidateKeytab checks, without any I/O, that the keytab parses, holds every required
// principal, and that each has a key (at its newest kvno, the one clients use) of an enctype
// krb5.conf allows. Whether the KDC still accepts those keys is ProveKeytab's job.
func ValidateKeytab(in KeytabInput) KeytabResult {
	if len(in.Data) == 0 {
		return KeytabResult{Reason: KeytabMissing, Message: "the keytab is empty"}
	}
	kt, ok := parseKeytab(in.Data)
	if !ok {
		return KeytabResult{Reason: KeytabUnparsable,
			Message: fmt.Sprintf("the %d bytes are not a keytab file (MIT keytab format version 1 or 2)", len(in.Data))}
	}
	keys := keysByPrincipal(kt)
	required := RequiredPrincipals(in.Principals, in.FQDN, in.Realm)

	var missing []string
	for _, p := range required {
		if _, ok := keys[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return KeytabResult{Reason: PrincipalMissing, Message: fmt.Sprintf("the keytab has no key for %s; it holds %s",
			strings.Join(missing, ", "), describePrincipals(keys))}
	}

	allowed := allowedEnctypes(in.Krb5Conf)
	kvno := 0
	var names []string
	for _, p := range required {
		newest := keys[p].newest()
		usable := slices.DeleteFunc(slices.Clone(newest.enctypes), func(e int32) bool { return !slices.Contains(allowed, e) })
		if len(usable) == 0 {
			return KeytabResult{Reason: EnctypeNotPermitted, Kvno: newest.kvno, Message: fmt.Sprintf(
				"%s has keys of %s at kvno %d, but krb5.conf permits only %s",
				p, enctypeNames(newest.enctypes), newest.kvno, enctypeNames(allowed))}
		}
		kvno = max(kvno, newest.kvno)
		names = append(names, enctypeNames(usable))
	}
	return KeytabResult{Reason: KeytabValidReason, Kvno: kvno, Message: fmt.Sprintf(
		"the keytab holds %s at kvno %d (%s)", strings.Join(required, ", "), kvno, strings.Join(slices.Compact(names), "; "))}
}

// parseKeytab parses a keytab. gokrb5's parser indexes into the input without checking every
// bound and its errors can quote the raw bytes, so a panic is caught and no error text is
// ever passed on.
func parseKeytab(data []byte) (kt *keytab.Keytab, ok bool) {
	defer func() {
		if recover() != nil {
			kt, ok = nil, false
		}
	}()
	kt = keytab.New()
	if err := kt.Unmarshal(data); err != nil {
		return nil, false
	}
	return kt, true
}

// versionKeys are the enctypes a principal has keys of at one kvno.
type versionKeys struct {
	kvno     int
	enctypes []int32
}

type principalKeys []versionKeys

func (pk principalKeys) newest() versionKeys {
	best := pk[0]
	for _, v := range pk[1:] {
		if v.kvno > best.kvno {
			best = v
		}
	}
	return best
}

// keysByPrincipal indexes a keytab by "name/instance@REALM", keeping only kvnos and
// enctypes: the key values themselves are never looked at past this point.
func keysByPrincipal(kt *keytab.Keytab) map[string]principalKeys {
	out := map[string]principalKeys{}
	for _, e := range kt.Entries {
		name := strings.Join(e.Principal.Components, "/") + "@" + e.Principal.Realm
		kvno := int(e.KVNO)
		pk := out[name]
		i := slices.IndexFunc(pk, func(v versionKeys) bool { return v.kvno == kvno })
		if i < 0 {
			pk = append(pk, versionKeys{kvno: kvno})
			i = len(pk) - 1
		}
		if !slices.Contains(pk[i].enctypes, e.Key.KeyType) {
			pk[i].enctypes = append(pk[i].enctypes, e.Key.KeyType)
		}
		out[name] = pk
	}
	return out
}

// describePrincipals lists a keytab's principals for a message, capped so a huge keytab
// cannot blow up a condition.
func describePrincipals(keys map[string]principalKeys) string {
	if len(keys) == 0 {
		return "no entries"
	}
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	const show = 4
	if len(names) > show {
		return strings.Join(names[:show], ", ") + fmt.Sprintf(" and %d more", len(names)-show)
	}
	return strings.Join(names, ", ")
}

// allowedEnctypes are the enctypes both permitted and requested for tickets: a NodeManager
// logs in as a client (default_tkt_enctypes) and accepts tickets as a service
// (permitted_enctypes), so a key must satisfy both.
func allowedEnctypes(conf *config.Config) []int32 {
	if conf == nil {
		conf = config.New()
	}
	permitted := conf.LibDefaults.PermittedEnctypeIDs
	tkt := conf.LibDefaults.DefaultTktEnctypeIDs
	if len(tkt) == 0 {
		return permitted
	}
	return slices.DeleteFunc(slices.Clone(permitted), func(e int32) bool { return !slices.Contains(tkt, e) })
}

// enctypeName gives the MIT name of an enctype number.
var enctypeName = map[int32]string{
	16: "des3-cbc-sha1", 17: "aes128-cts-hmac-sha1-96", 18: "aes256-cts-hmac-sha1-96",
	19: "aes128-cts-hmac-sha256-128", 20: "aes256-cts-hmac-sha384-192", 23: "arcfour-hmac",
	24: "arcfour-hmac-exp", 25: "camellia128-cts-cmac", 26: "camellia256-cts-cmac",
}

func enctypeNames(ids []int32) string {
	if len(ids) == 0 {
		return "none"
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		if n, ok := enctypeName[id]; ok {
			names[i] = n
		} else {
			names[i] = fmt.Sprintf("enctype %d", id)
		}
	}
	return strings.Join(names, ", ")
}

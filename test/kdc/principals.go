package kdc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

var keytabSeq atomic.Int64

// AddPrincipal creates principals with random keys (service and client principals alike;
// clients authenticate with a keytab, never a password). Names are without realm,
// e.g. "HTTP/localhost" or "yarn-operator".
func (k *KDC) AddPrincipal(t testing.TB, names ...string) {
	t.Helper()
	for _, name := range names {
		out, err := k.Kadmin("addprinc -randkey " + quote(name))
		if err != nil || !strings.Contains(out, "created") {
			t.Fatalf("kdc: addprinc %s: %v: %s", name, err, out)
		}
	}
}

// AddPrincipalWithPassword creates a principal with a password (for kinit-style tests).
func (k *KDC) AddPrincipalWithPassword(t testing.TB, name, password string) {
	t.Helper()
	out, err := k.Kadmin("addprinc -pw " + quote(password) + " " + quote(name))
	if err != nil || !strings.Contains(out, "created") {
		t.Fatalf("kdc: addprinc %s: %v: %s", name, err, out)
	}
}

// KeytabOptions tune Keytab. The zero value exports the current keys unchanged.
type KeytabOptions struct {
	// Enctypes, e.g. []string{"aes128-cts-hmac-sha1-96"}, re-keys the principals with only these
	// types (this bumps their kvno and invalidates keytabs exported before).
	Enctypes []string
	// Rekey generates new random keys before export (kvno+1), which is how an administrator
	// "rotates" a keytab; older keytabs stop working.
	Rekey bool
}

// Keytab exports the principals' current keys to a new keytab and returns its bytes. Keys are
// not changed (-norandkey), so several keytabs for one principal stay valid together.
func (k *KDC) Keytab(t testing.TB, principals ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(k.KeytabFileWith(t, KeytabOptions{}, principals...))
	if err != nil {
		t.Fatalf("kdc: read keytab: %v", err)
	}
	return b
}

// KeytabFile is Keytab written to a file in Dir; it returns the path.
func (k *KDC) KeytabFile(t testing.TB, principals ...string) string {
	t.Helper()
	return k.KeytabFileWith(t, KeytabOptions{}, principals...)
}

// KeytabWith is Keytab with options (specific enctypes, key rotation).
func (k *KDC) KeytabWith(t testing.TB, opts KeytabOptions, principals ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(k.KeytabFileWith(t, opts, principals...))
	if err != nil {
		t.Fatalf("kdc: read keytab: %v", err)
	}
	return b
}

// KeytabFileWith is KeytabWith written to a file; it returns the path.
func (k *KDC) KeytabFileWith(t testing.TB, opts KeytabOptions, principals ...string) string {
	t.Helper()
	if len(principals) == 0 {
		t.Fatalf("kdc: Keytab needs at least one principal")
	}
	path := filepath.Join(k.Dir, fmt.Sprintf("keytab-%d.keytab", keytabSeq.Add(1)))
	for _, p := range principals {
		var q string
		switch {
		case len(opts.Enctypes) > 0:
			es := make([]string, len(opts.Enctypes))
			for i, e := range opts.Enctypes {
				es[i] = quote(e) + ":normal"
			}
			q = fmt.Sprintf("ktadd -k %s -e %s %s", path, strings.Join(es, ","), quote(p))
		case opts.Rekey:
			q = fmt.Sprintf("ktadd -k %s %s", path, quote(p))
		default:
			q = fmt.Sprintf("ktadd -k %s -norandkey %s", path, quote(p))
		}
		out, err := k.Kadmin(q)
		if err != nil || !strings.Contains(out, "added to keytab") {
			t.Fatalf("kdc: %s: %v: %s", q, err, out)
		}
	}
	return path
}

// Kvno returns the principal's current key version number.
func (k *KDC) Kvno(t testing.TB, principal string) int {
	t.Helper()
	out, err := k.Kadmin("getprinc " + quote(principal))
	if err != nil {
		t.Fatalf("kdc: getprinc %s: %v: %s", principal, err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		var kvno int
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "Key: vno %d", &kvno); err == nil {
			return kvno
		}
	}
	t.Fatalf("kdc: no key version for %s in: %s", principal, out)
	return 0
}

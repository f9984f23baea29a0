package staticippolicy_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/keytab"

	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
)

// TestKeytabsFromRealKDC checks keytabs exported by a real MIT KDC, locally and with an AS
// exchange against that KDC.
func TestKeytabsFromRealKDC(t *testing.T) {
	k := kdc.Start(t)
	conf, err := config.NewFromString(k.Krb5Conf())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	addHost := func(t *testing.T, fqdn string) []byte {
		k.AddPrincipal(t, "nm/"+fqdn, "HTTP/"+fqdn)
		return k.Keytab(t, "nm/"+fqdn, "HTTP/"+fqdn)
	}
	validate := func(data []byte, fqdn string, c *config.Config) staticippolicy.KeytabResult {
		return staticippolicy.ValidateKeytab(staticippolicy.KeytabInput{Data: data, FQDN: fqdn, Realm: k.Realm, Krb5Conf: c})
	}

	t.Run("valid keytab", func(t *testing.T) {
		data := addHost(t, "nm1.example.test")
		got := validate(data, "nm1.example.test", conf)
		if !got.Valid() || got.Kvno != k.Kvno(t, "nm/nm1.example.test") {
			t.Fatalf("got %+v", got)
		}
		for _, p := range []string{"nm/nm1.example.test@" + k.Realm, "HTTP/nm1.example.test@" + k.Realm} {
			if !strings.Contains(got.Message, p) {
				t.Errorf("message %q does not name %s", got.Message, p)
			}
		}
		assertNoKeyMaterial(t, data, got.Message)
		proof, err := staticippolicy.ProveKeytab(ctx, data, "nm/nm1.example.test", k.Realm, conf)
		if err != nil || !proof.Valid() {
			t.Fatalf("AS exchange: %+v, %v", proof, err)
		}
		assertNoKeyMaterial(t, data, proof.Message)
	})

	t.Run("keytab of another fqdn", func(t *testing.T) {
		data := addHost(t, "nm2.example.test")
		got := validate(data, "nm-other.example.test", conf)
		if got.Reason != staticippolicy.PrincipalMissing || !strings.Contains(got.Message, "nm/nm-other.example.test@"+k.Realm) ||
			!strings.Contains(got.Message, "nm/nm2.example.test@"+k.Realm) {
			t.Fatalf("got %+v", got)
		}
		assertNoKeyMaterial(t, data, got.Message)
	})

	t.Run("only one of the required principals", func(t *testing.T) {
		k.AddPrincipal(t, "nm/nm5.example.test", "HTTP/nm5.example.test")
		data := k.Keytab(t, "nm/nm5.example.test")
		got := validate(data, "nm5.example.test", conf)
		if got.Reason != staticippolicy.PrincipalMissing || !strings.Contains(got.Message, "HTTP/nm5.example.test@") {
			t.Fatalf("got %+v", got)
		}
		custom := staticippolicy.ValidateKeytab(staticippolicy.KeytabInput{Data: data, FQDN: "nm5.example.test", Realm: k.Realm,
			Principals: []string{"nm/{fqdn}"}, Krb5Conf: conf})
		if !custom.Valid() {
			t.Fatalf("with nodeManagerPrincipals [nm/{fqdn}]: %+v", custom)
		}
	})

	t.Run("key rotated after export", func(t *testing.T) {
		data := addHost(t, "nm3.example.test")
		before := k.Kvno(t, "nm/nm3.example.test")
		if out, err := k.Kadmin("cpw -randkey nm/nm3.example.test"); err != nil || k.Kvno(t, "nm/nm3.example.test") != before+1 {
			t.Fatalf("cpw -randkey: %v: %s", err, out)
		}
		// Locally nothing is wrong: only the KDC knows the key moved on.
		if got := validate(data, "nm3.example.test", conf); !got.Valid() || got.Kvno != before {
			t.Fatalf("local check: %+v", got)
		}
		proof, err := staticippolicy.ProveKeytab(ctx, data, "nm/nm3.example.test", k.Realm, conf)
		if err != nil || proof.Reason != staticippolicy.KDCRejected {
			t.Fatalf("AS exchange with a stale kvno: %+v, %v", proof, err)
		}
		if !strings.Contains(proof.Message, "nm/nm3.example.test@"+k.Realm) {
			t.Errorf("message %q does not name the principal", proof.Message)
		}
		assertNoKeyMaterial(t, data, proof.Message)
	})

	t.Run("enctype not permitted", func(t *testing.T) {
		k.AddPrincipal(t, "nm/nm4.example.test", "HTTP/nm4.example.test")
		data := k.KeytabWith(t, kdc.KeytabOptions{Enctypes: []string{"aes128-cts-hmac-sha1-96"}}, "nm/nm4.example.test", "HTTP/nm4.example.test")
		if got := validate(data, "nm4.example.test", conf); !got.Valid() {
			t.Fatalf("aes128 is permitted by the realm's krb5.conf: %+v", got)
		}
		for _, setting := range []string{"permitted_enctypes", "default_tkt_enctypes"} {
			strict, err := config.NewFromString(strings.Replace(k.Krb5Conf(),
				setting+" = "+kdc.Enctypes, setting+" = aes256-cts-hmac-sha1-96", 1))
			if err != nil {
				t.Fatal(err)
			}
			got := validate(data, "nm4.example.test", strict)
			if got.Reason != staticippolicy.EnctypeNotPermitted || !strings.Contains(got.Message, "aes128-cts-hmac-sha1-96") {
				t.Fatalf("%s = aes256 only: %+v", setting, got)
			}
			assertNoKeyMaterial(t, data, got.Message)
		}
	})

	t.Run("KDC unreachable is not a verdict on the keytab", func(t *testing.T) {
		data := addHost(t, "nm6.example.test")
		dead, err := config.NewFromString(strings.ReplaceAll(k.Krb5Conf(), k.Address(), "127.0.0.1:1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = staticippolicy.ProveKeytab(ctx, data, "nm/nm6.example.test", k.Realm, dead)
		if !errors.Is(err, staticippolicy.ErrKDCUnavailable) {
			t.Fatalf("got %v, want ErrKDCUnavailable", err)
		}
	})
}

// TestValidateKeytabRejectsWhatIsNotAKeytab needs no KDC: missing and garbage inputs.
func TestValidateKeytabRejectsWhatIsNotAKeytab(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 512)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	// A valid header followed by an entry length that runs past the end: gokrb5 would quote
	// the raw bytes in its error, which must never reach the message.
	truncated := append([]byte{5, 2, 0, 0, 0x10, 0}, []byte("SECRET-KEY-BYTES")...)
	headerThenNoise := append([]byte{5, 2}, random...)
	tests := []struct {
		name string
		data []byte
		want staticippolicy.KeytabReason
	}{
		{"nil", nil, staticippolicy.KeytabMissing},
		{"empty", []byte{}, staticippolicy.KeytabMissing},
		{"random bytes", random, staticippolicy.KeytabUnparsable},
		{"text", []byte("not a keytab: SECRET-KEY-BYTES\n"), staticippolicy.KeytabUnparsable},
		{"wrong version", []byte{5, 9, 0, 0, 0, 0}, staticippolicy.KeytabUnparsable},
		{"entry past the end", truncated, staticippolicy.KeytabUnparsable},
		{"valid header, noise", headerThenNoise, ""},
		{"no entries", []byte{5, 2, 0, 0, 0, 0}, staticippolicy.PrincipalMissing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := staticippolicy.ValidateKeytab(staticippolicy.KeytabInput{Data: tc.data, FQDN: "nm.example.test", Realm: "EXAMPLE.TEST"})
			if got.Valid() {
				t.Fatalf("accepted: %+v", got)
			}
			if tc.want != "" && got.Reason != tc.want {
				t.Fatalf("got %+v, want %s", got, tc.want)
			}
			if strings.Contains(got.Message, "SECRET-KEY-BYTES") || (len(tc.data) > 8 && strings.Contains(got.Message, hex.EncodeToString(tc.data[2:8]))) {
				t.Fatalf("message quotes the input: %q", got.Message)
			}
		})
	}
}

// assertNoKeyMaterial fails when a message contains any key of the keytab, raw or encoded.
func assertNoKeyMaterial(t *testing.T, data []byte, msg string) {
	t.Helper()
	kt := keytab.New()
	if err := kt.Unmarshal(data); err != nil {
		t.Fatal(err)
	}
	for _, e := range kt.Entries {
		v := e.Key.KeyValue
		for _, enc := range []string{string(v), hex.EncodeToString(v), base64.StdEncoding.EncodeToString(v), base64.RawStdEncoding.EncodeToString(v)} {
			if strings.Contains(msg, enc) {
				t.Fatalf("message contains key material: %q", msg)
			}
		}
	}
	if strings.Contains(msg, string(data)) {
		t.Fatalf("message contains the keytab: %q", msg)
	}
}

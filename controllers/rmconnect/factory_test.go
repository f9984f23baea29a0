package rmconnect

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"github.com/jcmturner/gokrb5/v8/keytab"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

// TestKerberizedClientFromSecrets builds a pool's RM client from a keytab Secret and a
// krb5.conf ConfigMap in a real apiserver, authenticates with SPNEGO against a real MIT KDC,
// keeps the client (and its hadoop.auth cookie) across calls, and rebuilds it when the
// keytab Secret changes.
func TestKerberizedClientFromSecrets(t *testing.T) {
	ctx := context.Background()
	realm := kdc.Start(t)
	realm.AddPrincipal(t, "HTTP/localhost", "yarn-operator")
	rmKeytab := keytab.New()
	if err := rmKeytab.Unmarshal(realm.Keytab(t, "HTTP/localhost")); err != nil {
		t.Fatal(err)
	}
	emu := rmemulator.New(rmemulator.Config{SPNEGO: &rmemulator.SPNEGOConfig{Keytab: rmKeytab}})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	u, _ := url.Parse(emu.URL())
	rmURL := "http://localhost:" + u.Port()

	ns := "rmconnect"
	mustCreate(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "operator-keytab", Namespace: ns},
		Data: map[string][]byte{"keytab": realm.Keytab(t, "yarn-operator")}}
	mustCreate(t, secret)
	mustCreate(t, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "krb5", Namespace: ns},
		Data: map[string]string{"krb5.conf": realm.Krb5Conf()}})

	enm := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: ns}}
	enm.Spec.YARN = v1alpha1.YARNSpec{
		ClusterName:      "test",
		ResourceManagers: []string{rmURL},
		Kerberos: &v1alpha1.KerberosSpec{
			Realm:           realm.Realm,
			Krb5Conf:        v1alpha1.ConfigMapKeyRef{Name: "krb5", Key: "krb5.conf"},
			ClientPrincipal: "yarn-operator@" + realm.Realm,
			ClientKeytab:    v1alpha1.SecretKeyRef{Name: "operator-keytab", Key: "keytab"},
		},
	}
	f := &Factory{Reader: env.Client, Logger: logr.Discard()}

	first, err := f.For(ctx, enm)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		c, err := f.For(ctx, enm)
		if err != nil {
			t.Fatal(err)
		}
		if c != first {
			t.Fatal("client rebuilt although nothing changed")
		}
		if _, err := c.ClusterInfo(ctx); err != nil {
			t.Fatalf("cluster info over SPNEGO: %v", err)
		}
	}
	if n := emu.Handshakes(); n != 1 {
		t.Errorf("%d Kerberos handshakes for 5 calls through one pool client, want 1", n)
	}

	// A rotation writes the Secret again; any write gives it a new resourceVersion.
	secret.Annotations = map[string]string{"rotated-at": "now"}
	if err := env.Client.Update(ctx, secret); err != nil {
		t.Fatal(err)
	}
	second, err := f.For(ctx, enm)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("client kept although the keytab Secret changed")
	}
	if _, err := second.ClusterInfo(ctx); err != nil {
		t.Fatalf("cluster info with the new keytab: %v", err)
	}
	f.pools().Drop(types.NamespacedName{Namespace: ns, Name: "pool"})
}

func TestMissingKerberosInputsAreClearErrors(t *testing.T) {
	ctx := context.Background()
	ns := "rmconnect-missing"
	mustCreate(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	mustCreate(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "empty", Namespace: ns}, Data: map[string][]byte{"other": []byte("x")}})
	enm := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: ns}}
	enm.Spec.YARN.ResourceManagers = []string{"http://rm1.example.com:8088"}
	kerberos := func(secret string) *v1alpha1.KerberosSpec {
		return &v1alpha1.KerberosSpec{Realm: "EXAMPLE.COM", ClientPrincipal: "op@EXAMPLE.COM",
			Krb5Conf:     v1alpha1.ConfigMapKeyRef{Name: "absent-conf", Key: "krb5.conf"},
			ClientKeytab: v1alpha1.SecretKeyRef{Name: secret, Key: "keytab"}}
	}
	f := &Factory{Reader: env.Client, Logger: logr.Discard()}
	cases := map[string]string{
		"absent": `reading the operator keytab Secret rmconnect-missing/absent`,
		"empty":  `the operator keytab Secret rmconnect-missing/empty has no key "keytab"`,
	}
	for secret, want := range cases {
		enm.Spec.YARN.Kerberos = kerberos(secret)
		_, err := f.For(ctx, enm)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("secret %s: err = %v, want it to contain %q", secret, err, want)
		}
	}
}

func mustCreate(t *testing.T, obj client.Object) {
	t.Helper()
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatalf("creating %s: %v", obj.GetName(), err)
	}
}

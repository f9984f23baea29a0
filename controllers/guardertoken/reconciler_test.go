package guardertoken

import (
	"context"
	"os"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

func TestTokenSecretIsCreatedOnceAndOwned(t *testing.T) {
	ctx := context.Background()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tokens"}}); err != nil {
		t.Fatal(err)
	}
	enm := &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: "tokens"},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:      v1alpha1.YARNSpec{ClusterName: "c", ResourceManagers: []string{"http://rm.example.com:8088"}},
			Template:  v1alpha1.NodeManagerTemplate{Image: "hadoop:3.3.6"},
			StaticIPs: v1alpha1.StaticIPPoolSpec{Selector: metav1.LabelSelector{MatchLabels: map[string]string{"p": "x"}}},
			Mode:      v1alpha1.ModeResident,
			Capacity:  v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}},
		},
	}
	if err := env.Client.Create(ctx, enm); err != nil {
		t.Fatal(err)
	}
	r := &Reconciler{Client: env.Client, APIReader: env.Client}
	req := ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}
	if _, err := r.Reconcile(ctx, req); err != nil {
		t.Fatal(err)
	}
	var secret corev1.Secret
	key := client.ObjectKey{Namespace: "tokens", Name: "pool-guarder-token"}
	if err := env.Client.Get(ctx, key, &secret); err != nil {
		t.Fatal(err)
	}
	token := string(secret.Data["token"])
	if len(token) < 40 {
		t.Fatalf("token of %d characters, want a 32-byte random token", len(token))
	}
	if owner := metav1.GetControllerOf(&secret); owner == nil || owner.UID != enm.UID {
		t.Fatalf("secret not owned by the pool: %+v", secret.OwnerReferences)
	}

	// A second reconcile, or a rotated token, is left alone.
	secret.Data["token"] = []byte("rotated-by-an-admin-0123456789-0123456789")
	if err := env.Client.Update(ctx, &secret); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Reconcile(ctx, req); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Get(ctx, key, &secret); err != nil {
		t.Fatal(err)
	}
	if string(secret.Data["token"]) != "rotated-by-an-admin-0123456789-0123456789" {
		t.Fatal("reconcile overwrote a rotated token")
	}
}

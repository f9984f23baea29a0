package staticip_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// kerberosPool creates the krb5.conf ConfigMap and a Kerberos ElasticNodeManager.
func kerberosPool(t *testing.T, ns, name, realm, krb5conf string) *v1alpha1.ElasticNodeManager {
	t.Helper()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "krb5"}, Data: map[string]string{"krb5.conf": krb5conf}}
	if err := env.Client.Create(context.Background(), cm); err != nil {
		t.Fatal(err)
	}
	kerberos := testkit.Kerberos(realm)
	kerberos.ClientKeytab.Name = "operator-keytab"
	return createENM(t, ns, name, kerberos)
}

func keytabStaticIP(t *testing.T, ns, name, pool, address string) *v1alpha1.StaticIP {
	t.Helper()
	sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: ns, Name: name, Pool: pool, Address: address})
	if err := env.Client.Create(context.Background(), sip); err != nil {
		t.Fatal(err)
	}
	return sip
}

// TestKeytabCondition: a StaticIP whose keytab Secret is missing becomes Invalid with a
// KeytabValid=False condition and a Warning Event; once a real KDC's keytab for its FQDN is
// put in the Secret, it becomes Available; a keytab for another FQDN makes it Invalid again.
func TestKeytabCondition(t *testing.T) {
	k := kdc.Start(t)
	ns := newNamespace(t)
	kerberosPool(t, ns, "secure", k.Realm, k.Krb5Conf())
	sip := keytabStaticIP(t, ns, "nm1", "secure", "10.77.0.1")
	startController(t, &sipctrl.Reconciler{KeytabRecheck: 500 * time.Millisecond}, ns)

	keytabIs := func(phase v1alpha1.StaticIPPhase, status metav1.ConditionStatus, reason staticippolicy.KeytabReason) func() (bool, string) {
		return func() (bool, string) {
			got := getStaticIP(t, ns, "nm1")
			c := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionKeytabValid)
			ok := got.Status.Phase == phase && c != nil && c.Status == status && c.Reason == string(reason) &&
				c.ObservedGeneration == got.Generation && got.Status.ObservedGeneration == got.Generation
			return ok, fmt.Sprintf("phase %q, condition %+v", got.Status.Phase, c)
		}
	}
	eventually(t, "Invalid with KeytabMissing", keytabIs(v1alpha1.StaticIPInvalid, metav1.ConditionFalse, staticippolicy.KeytabMissing))
	eventually(t, "a KeytabMissing Event", func() (bool, string) {
		reasons := eventsFor(t, ns, "nm1")
		return slices.Contains(reasons, string(staticippolicy.KeytabMissing)), fmt.Sprint(reasons)
	})
	got := getStaticIP(t, ns, "nm1")
	if ready := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionReady); ready == nil || ready.Reason != sipctrl.ReasonKeytabInvalid {
		t.Fatalf("Ready condition: %+v", ready)
	}

	k.AddPrincipal(t, "nm/nm1.example.test", "HTTP/nm1.example.test", "nm/other.example.test", "HTTP/other.example.test")
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: sip.Spec.KeytabSecret.Name},
		Data: map[string][]byte{"keytab": k.Keytab(t, "nm/nm1.example.test", "HTTP/nm1.example.test")}}
	if err := env.Client.Create(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Available with a valid keytab", keytabIs(v1alpha1.StaticIPAvailable, metav1.ConditionTrue, staticippolicy.KeytabValidReason))
	if c := meta.FindStatusCondition(getStaticIP(t, ns, "nm1").Status.Conditions, v1alpha1.ConditionKeytabValid); c.Message == "" {
		t.Fatal("valid keytab condition has no message")
	}

	secret.Data["keytab"] = k.Keytab(t, "nm/other.example.test", "HTTP/other.example.test")
	if err := env.Client.Update(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Invalid with PrincipalMissing", keytabIs(v1alpha1.StaticIPInvalid, metav1.ConditionFalse, staticippolicy.PrincipalMissing))
}

// TestDuplicateAddressAcrossNamespaces: the later StaticIP with an address already in use,
// in another namespace, is Invalid (DuplicateAddress) until the first one goes.
func TestDuplicateAddressAcrossNamespaces(t *testing.T) {
	nsA, nsB := newNamespace(t), newNamespace(t)
	startController(t, &sipctrl.Reconciler{}, nsA, nsB)
	first := createStaticIP(t, env.Client, nsA, "ip", "p", "10.88.0.1", "")
	eventually(t, "first Available", func() (bool, string) {
		s := getStaticIP(t, nsA, "ip").Status.Phase
		return s == v1alpha1.StaticIPAvailable, string(s)
	})
	time.Sleep(1100 * time.Millisecond) // creationTimestamp has whole seconds
	createStaticIP(t, env.Client, nsB, "ip", "p", "10.88.0.1", "")

	eventually(t, "second Invalid with DuplicateAddress", func() (bool, string) {
		got := getStaticIP(t, nsB, "ip")
		c := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionReady)
		return got.Status.Phase == v1alpha1.StaticIPInvalid && c != nil && c.Reason == sipctrl.ReasonDuplicateAddress, fmt.Sprintf("%q %+v", got.Status.Phase, c)
	})
	if s := getStaticIP(t, nsA, "ip").Status.Phase; s != v1alpha1.StaticIPAvailable {
		t.Fatalf("the first StaticIP turned %s", s)
	}
	eventually(t, "a DuplicateAddress Event", func() (bool, string) {
		reasons := eventsFor(t, nsB, "ip")
		return slices.Contains(reasons, sipctrl.ReasonDuplicateAddress), fmt.Sprint(reasons)
	})

	if err := env.Client.Delete(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	eventually(t, "second Available once the first is gone", func() (bool, string) {
		s := getStaticIP(t, nsB, "ip").Status.Phase
		return s == v1alpha1.StaticIPAvailable, string(s)
	})
}

// TestReleaseWaitsForPodAndYARN: a bound StaticIP adopts its pod's UID; when the pod goes it
// is Releasing while YARN still lists the node, and released (lastNodeName kept) once YARN
// no longer does.
func TestReleaseWaitsForPodAndYARN(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	enm := createENM(t, ns, "pool", nil)
	createStaticIP(t, env.Client, ns, "nm-a", "pool", "10.99.0.1", v1alpha1.StaticIPAvailable)
	rm := &fakeRM{}
	startController(t, &sipctrl.Reconciler{RM: rm, RMRecheck: 300 * time.Millisecond}, ns)

	b := &sipctrl.Binder{Client: env.Client}
	sip, err := b.Bind(ctx, enm, "node-a", "nm-pod-a")
	if err != nil {
		t.Fatal(err)
	}
	pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: enm, Node: "node-a", StaticIP: sip, Name: "nm-pod-a"})
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	eventually(t, "pod UID adopted", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return got.Status.Binding != nil && got.Status.Binding.PodUID == pod.UID, fmt.Sprintf("%+v", got.Status.Binding)
	})

	rm.set(sip.Spec.FQDN, true) // the NodeManager is still RUNNING or DECOMMISSIONING
	if err := env.Client.Delete(ctx, pod, client.GracePeriodSeconds(0)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Releasing while YARN lists the node", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return got.Status.Phase == v1alpha1.StaticIPReleasing && got.Status.Binding != nil, string(got.Status.Phase)
	})

	rm.set(sip.Spec.FQDN, false) // DECOMMISSIONED
	eventually(t, "released with lastNodeName", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return got.Status.Phase == v1alpha1.StaticIPAvailable && got.Status.Binding == nil && got.Status.LastNodeName == "node-a",
			fmt.Sprintf("%q %+v last=%q", got.Status.Phase, got.Status.Binding, got.Status.LastNodeName)
	})
	reasons := eventsFor(t, ns, sip.Name)
	if !slices.Contains(reasons, "Releasing") || !slices.Contains(reasons, "Released") {
		eventually(t, "Releasing and Released Events", func() (bool, string) {
			reasons := eventsFor(t, ns, sip.Name)
			return slices.Contains(reasons, "Releasing") && slices.Contains(reasons, "Released"), fmt.Sprint(reasons)
		})
	}

	// The node comes back and gets the same address.
	back, err := b.Bind(ctx, enm, "node-a", "nm-pod-a2")
	if err != nil || back.Name != sip.Name {
		t.Fatalf("rebind on node-a: %v, %v", back, err)
	}
}

// TestGCOfBindingWhosePodNeverCame: a binding whose pod was never created (the NodeManager
// controller crashed between Bind and Create) is collected after the pending grace.
func TestGCOfBindingWhosePodNeverCame(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	enm := createENM(t, ns, "pool", nil)
	createStaticIP(t, env.Client, ns, "nm-b", "pool", "10.99.1.1", v1alpha1.StaticIPAvailable)
	startController(t, &sipctrl.Reconciler{RM: &fakeRM{}, PendingGrace: 2 * time.Second}, ns)

	sip, err := (&sipctrl.Binder{Client: env.Client}).Bind(ctx, enm, "node-b", "never-created")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if got := getStaticIP(t, ns, sip.Name); got.Status.Binding == nil {
		t.Fatalf("released inside the pending grace: %+v", got.Status)
	}
	eventually(t, "binding collected after the grace", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return got.Status.Binding == nil && got.Status.LastNodeName == "node-b" && got.Status.Phase == v1alpha1.StaticIPAvailable,
			fmt.Sprintf("%+v", got.Status)
	})
}

// TestNoReleaseWithoutRM: with no ActiveNodes wired, a binding whose pod is gone stays
// (Releasing): the operator never guesses that YARN has let a node go.
func TestNoReleaseWithoutRM(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	enm := createENM(t, ns, "pool", nil)
	createStaticIP(t, env.Client, ns, "nm-c", "pool", "10.99.2.1", v1alpha1.StaticIPAvailable)
	startController(t, &sipctrl.Reconciler{PendingGrace: time.Millisecond}, ns)
	sip, err := (&sipctrl.Binder{Client: env.Client}).Bind(ctx, enm, "node-c", "gone")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "Releasing", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return got.Status.Phase == v1alpha1.StaticIPReleasing && got.Status.Binding != nil, string(got.Status.Phase)
	})
}

// TestKeytabProofCatchesRotatedKey: with ProveKeytabs the controller asks the KDC, so a
// keytab whose key was rotated after export (kadmin cpw -randkey) is Invalid with KDCRejected
// although it looks fine locally.
func TestKeytabProofCatchesRotatedKey(t *testing.T) {
	k := kdc.Start(t)
	ns := newNamespace(t)
	kerberosPool(t, ns, "secure", k.Realm, k.Krb5Conf())
	k.AddPrincipal(t, "nm/nm2.example.test", "HTTP/nm2.example.test")
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "nm2-keytab"},
		Data: map[string][]byte{"keytab": k.Keytab(t, "nm/nm2.example.test", "HTTP/nm2.example.test")}}
	if err := env.Client.Create(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	if out, err := k.Kadmin("cpw -randkey nm/nm2.example.test"); err != nil {
		t.Fatalf("cpw: %v: %s", err, out)
	}
	keytabStaticIP(t, ns, "nm2", "secure", "10.77.1.1")
	startController(t, &sipctrl.Reconciler{ProveKeytabs: true}, ns)
	eventually(t, "Invalid with KDCRejected", func() (bool, string) {
		got := getStaticIP(t, ns, "nm2")
		c := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionKeytabValid)
		return got.Status.Phase == v1alpha1.StaticIPInvalid && c != nil && c.Reason == string(staticippolicy.KDCRejected),
			fmt.Sprintf("%q %+v", got.Status.Phase, c)
	})
}

// TestPoolStatusUpdatesReconcileNoStaticIP: the StaticIP controller reads only a pool's spec
// (its selector and Kerberos settings), so a status update of the pool, which the other
// controllers make every cycle, must not reconcile every StaticIP of the namespace; a spec
// change must. At 5,000 nodes each pool status update queued 5,000 reconciles, which kept
// the controller busy in steady state and delayed the writes that mattered
// (docs/benchmarks.md, "Scale"). Every reconcile of a StaticIP selected by a Kerberos pool
// reads its keytab Secret through APIReader, so those reads count the reconciles.
func TestPoolStatusUpdatesReconcileNoStaticIP(t *testing.T) {
	ns := newNamespace(t)
	pool := kerberosPool(t, ns, "counted", "EXAMPLE.TEST", "[libdefaults]\n default_realm = EXAMPLE.TEST\n")
	for i := range 3 {
		keytabStaticIP(t, ns, fmt.Sprintf("nm%d", i), "counted", fmt.Sprintf("10.78.0.%d", i+1))
	}
	direct, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	var secretReads atomic.Int64
	reader := interceptor.NewClient(direct, interceptor.Funcs{
		Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			if _, ok := obj.(*corev1.Secret); ok && key.Namespace == ns {
				secretReads.Add(1)
			}
			return c.Get(ctx, key, obj, opts...)
		},
	})
	startController(t, &sipctrl.Reconciler{APIReader: reader, KeytabRecheck: time.Hour}, ns)
	for i := range 3 {
		eventually(t, "keytab checked", func() (bool, string) {
			got := getStaticIP(t, ns, fmt.Sprintf("nm%d", i))
			return got.Status.Phase == v1alpha1.StaticIPInvalid, string(got.Status.Phase)
		})
	}
	settled := func() int64 {
		for last := secretReads.Load(); ; {
			time.Sleep(time.Second)
			if now := secretReads.Load(); now == last {
				return now
			} else {
				last = now
			}
		}
	}
	before := settled()

	for i := range 5 {
		patch := client.MergeFrom(pool.DeepCopy())
		pool.Status.TotalNodeManagers = int32(i + 1)
		if err := env.Client.Status().Patch(context.Background(), pool, patch); err != nil {
			t.Fatal(err)
		}
	}
	if after := settled(); after != before {
		t.Errorf("5 status updates of the pool reconciled StaticIPs: %d keytab reads, want none", after-before)
	}

	patch := client.MergeFrom(pool.DeepCopy())
	pool.Spec.Capacity.Static.VCores++
	if err := env.Client.Patch(context.Background(), pool, patch); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a spec change reconciles the pool's StaticIPs", func() (bool, string) {
		n := secretReads.Load() - before
		return n >= 3, fmt.Sprintf("%d keytab reads", n)
	})
}

// TestStaticIPsReconciledConcurrently: with MaxConcurrentReconciles 4, several StaticIPs are
// in reconcile at once. Each reconcile of a StaticIP selected by a Kerberos pool reads its
// keytab Secret through APIReader; the reader holds every read until a second one arrives, so
// a controller reconciling one StaticIP at a time never gets past the first.
func TestStaticIPsReconciledConcurrently(t *testing.T) {
	ns := newNamespace(t)
	kerberosPool(t, ns, "parallel", "EXAMPLE.TEST", "[libdefaults]\n default_realm = EXAMPLE.TEST\n")
	for i := range 4 {
		keytabStaticIP(t, ns, fmt.Sprintf("nm%d", i), "parallel", fmt.Sprintf("10.79.0.%d", i+1))
	}
	direct, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	var inFlight, peak atomic.Int64
	second := make(chan struct{})
	var once sync.Once
	reader := interceptor.NewClient(direct, interceptor.Funcs{
		Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			if _, ok := obj.(*corev1.Secret); ok && key.Namespace == ns {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				if n >= 2 {
					once.Do(func() { close(second) })
				}
				select {
				case <-second:
				case <-time.After(5 * time.Second):
				}
			}
			return c.Get(ctx, key, obj, opts...)
		},
	})
	startController(t, &sipctrl.Reconciler{APIReader: reader, KeytabRecheck: time.Hour, MaxConcurrentReconciles: 4}, ns)
	for i := range 4 {
		eventually(t, "keytab checked", func() (bool, string) {
			got := getStaticIP(t, ns, fmt.Sprintf("nm%d", i))
			return got.Status.Phase == v1alpha1.StaticIPInvalid, string(got.Status.Phase)
		})
	}
	if p := peak.Load(); p < 2 {
		t.Errorf("at most %d StaticIP reconciles at once, want several", p)
	}
}

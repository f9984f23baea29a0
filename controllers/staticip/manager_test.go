package staticip_test

import (
	"context"
	"sync"
	"testing"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// fakeRM is a test ActiveNodes: the FQDNs it lists are active.
type fakeRM struct {
	mu     sync.Mutex
	active map[string]bool
}

func (f *fakeRM) ActiveNodes(context.Context, *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for k, v := range f.active {
		out[k] = v
	}
	return out, nil
}

func (f *fakeRM) set(fqdn string, active bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.active == nil {
		f.active = map[string]bool{}
	}
	f.active[fqdn] = active
}

// startController runs a manager with the StaticIP controller, its cache limited to the
// test's namespaces so parallel tests never see each other's objects.
func startController(t *testing.T, r *sipctrl.Reconciler, namespaces ...string) {
	t.Helper()
	nss := map[string]cache.Config{}
	for _, ns := range namespaces {
		nss[ns] = cache.Config{}
	}
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Cache:                  cache.Options{DefaultNamespaces: nss},
		Controller:             config.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SetupWithManager(mgr); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			t.Errorf("manager: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually polls cond until it holds or the timeout passes.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, state := cond()
		if ok {
			return
		}
		last = state
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last state: %s", what, last)
}

func getStaticIP(t *testing.T, ns, name string) *v1alpha1.StaticIP {
	t.Helper()
	var sip v1alpha1.StaticIP
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &sip); err != nil {
		t.Fatal(err)
	}
	return &sip
}

// eventsFor returns the reasons of the Events about a StaticIP.
func eventsFor(t *testing.T, ns, name string) []string {
	t.Helper()
	var list eventsv1.EventList
	if err := env.Client.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range list.Items {
		if e.Regarding.Kind == "StaticIP" && e.Regarding.Name == name {
			reasons = append(reasons, e.Reason)
		}
	}
	return reasons
}

// createENM creates a valid ElasticNodeManager selecting StaticIPs labelled for it, with
// static capacity; kerberos, when not nil, is its spec.yarn.kerberos (nil: simple auth).
func createENM(t *testing.T, ns, name string, kerberos *v1alpha1.KerberosSpec) *v1alpha1.ElasticNodeManager {
	t.Helper()
	enm := testkit.Pool(testkit.PoolOptions{Namespace: ns, Name: name, SimpleAuth: true,
		Capacity: &v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 10, MemoryMB: 30720}}})
	enm.Spec.YARN.Kerberos = kerberos
	if err := env.Client.Create(context.Background(), enm); err != nil {
		t.Fatalf("create ElasticNodeManager: %v", err)
	}
	return enm
}

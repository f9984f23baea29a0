package staticip

import (
	"context"
	"time"

	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Defaults of the Reconciler's timing fields.
const (
	DefaultPendingGrace  = 2 * time.Minute
	DefaultKeytabRecheck = 10 * time.Minute
	DefaultRMRecheck     = 30 * time.Second
)

// Reconciler is the StaticIP controller. Build it with the manager's client, API reader and
// event recorder and an ActiveNodes backed by the RM client, then call SetupWithManager.
type Reconciler struct {
	// Client reads StaticIPs, pools and pods from the cache and patches StaticIP status. It
	// must be the manager's client (the default): duplicate detection uses its field index.
	Client client.Client
	// APIReader reads keytab Secrets and krb5.conf ConfigMaps directly (mgr.GetAPIReader()),
	// so the operator never caches Secrets and needs only "get" on them.
	APIReader client.Reader
	// Recorder emits Events on transitions (mgr.GetEventRecorder("staticip")).
	Recorder events.EventRecorder
	// RM tells which nodes YARN still counts as active. Nil means "unknown": no binding is
	// ever released automatically (fail safe), only by Binder.Release.
	RM ActiveNodes
	// ProveKeytabs adds an AS exchange with the KDC to every keytab check, catching keys
	// rotated after the keytab was exported. It needs the operator to reach the KDC.
	ProveKeytabs bool
	// PendingGrace is how long a binding may wait for its pod to be created
	// (DefaultPendingGrace when zero).
	PendingGrace time.Duration
	// KeytabRecheck is how often keytabs are checked again without a change to the StaticIP
	// (DefaultKeytabRecheck when zero).
	KeytabRecheck time.Duration
	// RMRecheck is how often a Releasing StaticIP asks YARN again (DefaultRMRecheck when zero).
	RMRecheck time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxConcurrentReconciles is how many StaticIPs are reconciled at once (default 1). Each
	// reconcile reads and writes one StaticIP only, with a resourceVersion precondition, so
	// StaticIPs are independent. A pool created together with its StaticIPs waits for them
	// to become Available one status write at a time: with one worker that set the pace of
	// a 5,000-node cold start (docs/benchmarks.md, "Scale").
	MaxConcurrentReconciles int
}

// Reconcile: get -> gather -> decide -> apply (status patch, then Events).
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var sip v1alpha1.StaticIP
	if err := r.Client.Get(ctx, req.NamespacedName, &sip); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	g, err := r.gather(ctx, &sip)
	if err != nil {
		return ctrl.Result{}, err
	}
	out := decide(&sip, g)
	if err := r.apply(ctx, &sip, out); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.syncBindingFinalizer(ctx, &sip); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: requeueAfter(g, or(r.KeytabRecheck, DefaultKeytabRecheck), or(r.RMRecheck, DefaultRMRecheck))}, nil
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (r *Reconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

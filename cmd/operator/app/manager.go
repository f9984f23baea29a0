package app

import (
	"context"
	"fmt"
	"net/http"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Scheme is the operator's scheme: core Kubernetes kinds and elasticyarn.io/v1alpha1.
func Scheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, err
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		return nil, err
	}
	return s, nil
}

// NewManager builds the manager with its health checks and every controller.
func NewManager(cfg *rest.Config, o Options) (ctrl.Manager, error) {
	mgr, _, err := newManager(cfg, o, config.Controller{})
	return mgr, err
}

// newManager also takes the controllers' settings: controller-runtime refuses a second
// controller of the same name in one process, which tests starting several managers must skip.
// It also returns the shared dependencies, for tests that look into the per-pool memory.
func newManager(cfg *rest.Config, o Options, controllers config.Controller) (ctrl.Manager, *wiring, error) {
	scheme, err := Scheme()
	if err != nil {
		return nil, nil, err
	}
	gracefulShutdown := o.GracefulShutdownTimeout
	// Only NodeManager pods are cached: a pod watch would otherwise hold every pod of the
	// cluster in the operator's memory.
	nodeManagerPods, err := labels.Parse(v1alpha1.LabelPool)
	if err != nil {
		return nil, nil, err
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme: scheme,
		Cache: cache.Options{
			// Namespaced kinds are listed and watched in these namespaces only (the chart's
			// watchNamespaces grants no more); Nodes, cluster-scoped, are still watched.
			DefaultNamespaces: namespaces(o.WatchNamespaces),
			DefaultTransform:  trimForCache,
			NewInformer:       newInformer,
			ByObject: map[client.Object]cache.ByObject{
				&corev1.Pod{}:  {Label: nodeManagerPods},
				&batchv1.Job{}: {Label: nodeManagerPods},
			},
		},
		Controller:                    controllers,
		Metrics:                       metricsserver.Options{BindAddress: o.MetricsAddr},
		HealthProbeBindAddress:        o.ProbeAddr,
		PprofBindAddress:              o.ProfileAddr,
		LeaderElection:                o.LeaderElect,
		LeaderElectionID:              o.LeaderElectionID,
		LeaderElectionNamespace:       o.LeaderElectionNamespace,
		LeaderElectionReleaseOnCancel: true,
		LeaseDuration:                 &o.LeaseDuration,
		RenewDeadline:                 &o.RenewDeadline,
		GracefulShutdownTimeout:       &gracefulShutdown,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("creating manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return nil, nil, err
	}
	// Ready once the informer caches have synced, so a replica that cannot reach the
	// apiserver is not sent traffic to its metrics endpoint by a Service.
	if err := mgr.AddReadyzCheck("informers", func(req *http.Request) error {
		if !mgr.GetCache().WaitForCacheSync(req.Context()) {
			return fmt.Errorf("informer caches not synced")
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	w, err := setupControllers(mgr, o)
	if err != nil {
		return nil, nil, err
	}
	return mgr, w, nil
}

// namespaces turns --watch-namespaces into cache settings; nil watches every namespace.
func namespaces(names []string) map[string]cache.Config {
	if len(names) == 0 {
		return nil
	}
	m := make(map[string]cache.Config, len(names))
	for _, n := range names {
		m[n] = cache.Config{}
	}
	return m
}

// Run builds the manager and runs it until ctx is cancelled.
func Run(ctx context.Context, cfg *rest.Config, o Options) error {
	mgr, err := NewManager(cfg, o)
	if err != nil {
		return err
	}
	return mgr.Start(ctx)
}

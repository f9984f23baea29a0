package app

import (
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardercontract"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardertoken"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
)

// setupControllers registers every reconciler with the manager. Each controller owns one
// concern (docs/development.md); their shared dependencies, one RM client per pool and the guarder
// client, are built here once.
func setupControllers(mgr ctrl.Manager, o Options) error {
	rms := &rmconnect.Factory{
		Reader:     mgr.GetAPIReader(),
		Registerer: metrics.Registry,
		Logger:     ctrl.Log.WithName("rmclient"),
	}
	guarders := &guarderclient.Client{Secrets: mgr.GetAPIReader()}
	binder := &staticip.Binder{Client: mgr.GetClient(), Reader: mgr.GetAPIReader()}
	// One order for every write of a YARN node's size: a drain's zero is never re-grown.
	rmWrites := &rmwrites.Serializer{}

	if err := (&guardertoken.Reconciler{}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&guardercontract.Reconciler{
		Guarders: guarders,
		Recorder: mgr.GetEventRecorder("guardercontract-controller"),
	}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&staticip.Reconciler{
		APIReader: mgr.GetAPIReader(),
		RM:        newActiveNodes(rms),
	}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&nodemanager.Reconciler{
		RM:                      nodeManagerRMs{f: rms},
		Shedder:                 shedder{c: guarders},
		Binder:                  binder,
		PodOptions:              podspec.Options{DefaultGuarderImage: o.GuarderImage},
		MaxConcurrentReconciles: o.MaxConcurrentReconciles,
		RMWrites:                rmWrites,
		DrainPollInterval:       o.DrainPollInterval,
	}).SetupWithManager(mgr); err != nil {
		return err
	}
	return (&capacity.Reconciler{
		RMs:      capacity.RMFactory{Factory: rms},
		Shedder:  capacity.GuarderShedder{Client: guarders},
		Recorder: mgr.GetEventRecorder("capacity-controller"),
		RMWrites: rmWrites,
	}).SetupWithManager(mgr)
}

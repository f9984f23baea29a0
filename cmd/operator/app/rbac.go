package app

// Leader election and Events. Everything else is declared next to the controller that needs it.
//
// Leader election also records core Events on its Lease ("became leader"), so the Lease's
// namespace needs them even when --watch-namespaces leaves it out: the chart then grants the
// cluster-wide Events below only in the watched namespaces.
//
// +kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,verbs=get;list;watch;create;update;patch;delete,namespace=elastic-yarn-system
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch,namespace=elastic-yarn-system
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

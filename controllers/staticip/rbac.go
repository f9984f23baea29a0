package staticip

// Permissions of the StaticIP controller and the Binder.
//
// Secrets: only "get", and only through the uncached API reader. Listing or watching Secrets
// would make the operator hold every Secret of the cluster in memory; a direct GET of the one
// Secret a StaticIP names is all a keytab check needs. The same goes for the ConfigMap with
// krb5.conf. Neither is ever logged or copied into another object.
//
// +kubebuilder:rbac:groups=elasticyarn.io,resources=staticips,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=staticips/status,verbs=get;patch;update
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get
// +kubebuilder:rbac:groups="",resources=pods,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

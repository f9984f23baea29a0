package nodemanager

// Permissions of the NodeManager lifecycle controller. controller-gen reads RBAC markers only
// from free-standing comments (not a type's doc comment), hence this file.
//
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers/status,verbs=get;patch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers/finalizers,verbs=update
// +kubebuilder:rbac:groups=elasticyarn.io,resources=staticips,verbs=get;list;watch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=staticips/status,verbs=get;patch
// +kubebuilder:rbac:groups="",resources=pods,verbs=get;list;watch;create;delete;patch
// +kubebuilder:rbac:groups="",resources=nodes,verbs=get;list;watch
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

package v1alpha1

// Labels and annotations the operator puts on the objects it manages. Per-node state lives
// here (on the NodeManager pods), not in the pool's status, so status stays bounded and a
// restarted operator resumes from what the API server holds.
const (
	// LabelPool on a NodeManager pod names its ElasticNodeManager.
	LabelPool = "elasticyarn.io/pool"
	// LabelNode on a NodeManager pod names the Kubernetes node it was made for.
	LabelNode = "elasticyarn.io/node"
	// LabelStaticIP on a NodeManager pod names the StaticIP it holds.
	LabelStaticIP = "elasticyarn.io/static-ip"

	// AnnotationYARNNodeID on a NodeManager pod is the YARN NodeId (fqdn:rpcPort).
	AnnotationYARNNodeID = "elasticyarn.io/yarn-node-id"
	// AnnotationDrainStarted on a NodeManager pod is when its drain began (RFC 3339).
	AnnotationDrainStarted = "elasticyarn.io/drain-started"
	// AnnotationDrainDeadline on a NodeManager pod is when the drain must end (RFC 3339).
	AnnotationDrainDeadline = "elasticyarn.io/drain-deadline"
	// AnnotationShedRequested on a NodeManager pod is when the guarder was asked to shed.
	AnnotationShedRequested = "elasticyarn.io/shed-requested"
	// AnnotationDrainRequested on a NodeManager pod asks the operator to drain it gracefully,
	// delete it and start it again on its node: the way to restart a NodeManager without
	// losing YARN work. The deletion guard (config/admission) refuses a plain delete of a
	// running NodeManager pod and names this annotation. Any value.
	AnnotationDrainRequested = "elasticyarn.io/drain-requested"
	// AnnotationPodSpecHash on a NodeManager pod is a hash of the pod as the operator built it;
	// a pod whose hash differs from what the pool's spec builds now is outdated.
	AnnotationPodSpecHash = "elasticyarn.io/pod-spec-hash"
	// AnnotationGuarderTokenSecret on a NodeManager pod names the Secret with the guarder's
	// bearer token, for people and tools. The operator never reads it: it derives the Secret
	// from the pod's controlling pool, so a pod cannot point it at another Secret.
	AnnotationGuarderTokenSecret = "elasticyarn.io/guarder-token-secret"

	// FinalizerPool on an ElasticNodeManager lets the operator drain before it goes; on the
	// pool's PodDisruptionBudget it keeps evictions blocked until the pool is empty, even when
	// a foreground cascade or a namespace deletion deletes the budget first.
	FinalizerPool = "elasticyarn.io/drain"
	// FinalizerStaticIPBinding on a bound StaticIP keeps it while a NodeManager uses its
	// address: deleting it drains that NodeManager and releases the binding first.
	FinalizerStaticIPBinding = "elasticyarn.io/static-ip-binding"
	// FinalizerStaticIPRelease on a NodeManager pod keeps its StaticIP bound until YARN no
	// longer lists the node as active.
	FinalizerStaticIPRelease = "elasticyarn.io/static-ip-release"
)

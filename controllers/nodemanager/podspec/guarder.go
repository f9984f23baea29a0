package podspec

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// Guarder defaults, the same as the CRD's.
const (
	GuarderContainerName = "guarder"
	// GuarderPortName is the API port's name; the operator's guarder client looks it up.
	GuarderPortName     = "guarder-api"
	DefaultGuarderPort  = 9810
	DefaultGracePeriod  = 5 * time.Minute
	DefaultSignalPolicy = v1alpha1.SignalGraceful
)

// GuarderTokenSecretName is the Secret holding the bearer token of the pool's guarders
// (key "token"). The operator's guarder client reads the same Secret.
func GuarderTokenSecretName(enm *v1alpha1.ElasticNodeManager) string {
	return enm.Name + "-guarder-token"
}

// GuarderEnabled: the sidecar is on unless spec.guarder.enabled is false.
func GuarderEnabled(enm *v1alpha1.ElasticNodeManager) bool {
	return enm.Spec.Guarder.Enabled == nil || *enm.Spec.Guarder.Enabled
}

// GuarderPort is spec.guarder.port or its default.
func GuarderPort(enm *v1alpha1.ElasticNodeManager) int32 {
	if p := enm.Spec.Guarder.Port; p != 0 {
		return p
	}
	return DefaultGuarderPort
}

// GuarderSignalPolicy is spec.guarder.signalPolicy or the CRD's default. The field is empty
// on objects that never went through the API server's defaulting (built in memory, or stored
// before the field existed), and the guarder rejects an empty value rather than guess.
func GuarderSignalPolicy(g v1alpha1.GuarderSpec) v1alpha1.SignalPolicy {
	if g.SignalPolicy == "" {
		return DefaultSignalPolicy
	}
	return g.SignalPolicy
}

func guarderContainer(enm *v1alpha1.ElasticNodeManager, defaultImage string, nmHTTPPort int32) (corev1.Container, corev1.Volume) {
	g := enm.Spec.Guarder
	image := g.Image
	if image == "" {
		image = defaultImage
	}
	grace := DefaultGracePeriod
	if g.GracePeriod != nil {
		grace = g.GracePeriod.Duration
	}
	port := GuarderPort(enm)
	noEscalation, readOnly, nonRoot := false, true, false
	root := int64(0)
	c := corev1.Container{
		Name:  GuarderContainerName,
		Image: image,
		Args: []string{
			fmt.Sprintf("--listen-address=:%d", port),
			"--token-file=" + GuarderTokenDir + "/" + GuarderTokenKey,
			"--grace-period=" + grace.String(),
			fmt.Sprintf("--dry-run=%t", g.DryRun),
			fmt.Sprintf("--nm-url=http://localhost:%d", nmHTTPPort),
		},
		// Only contract-1 flags: settings newer than that travel in the environment, which an
		// older guarder (a pinned spec.guarder.image) ignores instead of exiting on an unknown
		// flag; the guardercontract controller reports guarders that lack them.
		Env: []corev1.EnvVar{
			{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}},
			{Name: contract.EnvSignalPolicy, Value: string(GuarderSignalPolicy(g))},
		},
		Ports: []corev1.ContainerPort{{Name: GuarderPortName, ContainerPort: port, Protocol: corev1.ProtocolTCP}},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/readyz", Port: intstr.FromInt32(port),
		}}},
		VolumeMounts: []corev1.VolumeMount{{Name: volGuarderToken, MountPath: GuarderTokenDir, ReadOnly: true}},
		// Root with only KILL (and SYS_PTRACE where processes must be inspected): see the
		// package documentation.
		SecurityContext: &corev1.SecurityContext{
			RunAsUser:                &root,
			RunAsNonRoot:             &nonRoot,
			AllowPrivilegeEscalation: &noEscalation,
			ReadOnlyRootFilesystem:   &readOnly,
			SeccompProfile:           runtimeDefaultSeccomp(),
			Capabilities: &corev1.Capabilities{
				Add:  GuarderCapabilities(enm),
				Drop: []corev1.Capability{"ALL"},
			},
		},
	}
	mode := keytabMode
	vol := corev1.Volume{Name: volGuarderToken, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName: GuarderTokenSecretName(enm), DefaultMode: &mode,
		Items: []corev1.KeyToPath{{Key: GuarderTokenKey, Path: GuarderTokenKey}},
	}}}
	return c, vol
}

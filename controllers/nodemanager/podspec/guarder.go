package podspec

import (
	"fmt"
	"strings"
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

// guarderSignalPolicy is spec.guarder.signalPolicy or the CRD's default. The field is empty
// on objects that never went through the API server's defaulting (built in memory, or stored
// before the field existed), and the guarder rejects an empty value rather than guess.
func guarderSignalPolicy(g v1alpha1.GuarderSpec) v1alpha1.SignalPolicy {
	if g.SignalPolicy == "" {
		return DefaultSignalPolicy
	}
	return g.SignalPolicy
}

// guarderContainer builds the sidecar. nmMounts are the NodeManager's identity mounts: with
// Kerberos the guarder shares the keytab and krb5.conf mounts to authenticate to the NM's web
// endpoint (SPNEGO as the NM's HTTP/<fqdn>).
func guarderContainer(enm *v1alpha1.ElasticNodeManager, fqdn string, nmMounts []corev1.VolumeMount, defaultImage string, nmHTTPPort int32) (corev1.Container, []corev1.Volume) {
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
			{Name: contract.EnvSignalPolicy, Value: string(guarderSignalPolicy(g))},
		},
		Ports: []corev1.ContainerPort{{Name: GuarderPortName, ContainerPort: port, Protocol: corev1.ProtocolTCP}},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/readyz", Port: intstr.FromInt32(port),
		}}},
		VolumeMounts: append([]corev1.VolumeMount{{Name: volGuarderToken, MountPath: GuarderTokenDir, ReadOnly: true}}, spnegoMounts(enm, nmMounts)...),
		// Root with only KILL (and SYS_PTRACE where processes must be inspected): see the
		// package documentation.
		SecurityContext: &corev1.SecurityContext{
			RunAsUser:                &root,
			RunAsNonRoot:             &nonRoot,
			AllowPrivilegeEscalation: &noEscalation,
			ReadOnlyRootFilesystem:   &readOnly,
			SeccompProfile:           runtimeDefaultSeccomp(),
			Capabilities: &corev1.Capabilities{
				Add:  guarderCapabilities(enm),
				Drop: []corev1.Capability{"ALL"},
			},
		},
	}
	c.Env = append(c.Env, spnegoEnv(enm, fqdn, c.VolumeMounts)...)
	mode := keytabMode
	vols := []corev1.Volume{{Name: volGuarderToken, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName: GuarderTokenSecretName(enm), DefaultMode: &mode,
		Items: []corev1.KeyToPath{{Key: GuarderTokenKey, Path: GuarderTokenKey}},
	}}}}
	if g.KoordletContainerEviction {
		dirOrCreate := corev1.HostPathDirectoryOrCreate
		vols = append(vols, corev1.Volume{Name: volKoordletSocket, VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{
			Path: KoordletSocketDir, Type: &dirOrCreate,
		}}})
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: volKoordletSocket, MountPath: KoordletSocketDir})
		c.Env = append(c.Env, corev1.EnvVar{Name: contract.EnvKoordletSocket, Value: contract.DefaultKoordletSocket})
	}
	return c, vols
}

// Koordinator's container eviction (spec.guarder.koordletContainerEviction): koordlet posts to
// the unix socket contract.DefaultKoordletSocket on the host and treats pods labelled
// LabelKoordletNodeManager as NodeManagers (its --evict-by-copilot-* defaults).
const (
	KoordletSocketDir        = "/var/run/yarn-copilot"
	volKoordletSocket        = "koordlet-socket"
	LabelKoordletNodeManager = "app.kubernetes.io/component"
	ValueKoordletNodeManager = "node-manager"
)

// spnegoMounts are the NodeManager's keytab and krb5.conf mounts, when the pool uses Kerberos
// and the StaticIP has a keytab.
func spnegoMounts(enm *v1alpha1.ElasticNodeManager, nmMounts []corev1.VolumeMount) []corev1.VolumeMount {
	if enm.Spec.YARN.Kerberos == nil {
		return nil
	}
	var out []corev1.VolumeMount
	hasKeytab := false
	for _, m := range nmMounts {
		switch m.Name {
		case volKeytab:
			hasKeytab = true
			out = append(out, m)
		case volKrb5:
			out = append(out, m)
		}
	}
	if !hasKeytab {
		return nil
	}
	return out
}

// nodeManagerHTTPPrincipal is the NM web endpoint's principal for fqdn: the
// spec.yarn.kerberos.nodeManagerPrincipals entry starting with "HTTP/" (default HTTP/{fqdn}),
// with the realm. Hadoop's hadoop.http.authentication.kerberos.principal is HTTP/_HOST.
func nodeManagerHTTPPrincipal(k *v1alpha1.KerberosSpec, fqdn string) string {
	pattern := "HTTP/{fqdn}"
	for _, p := range k.NodeManagerPrincipals {
		if strings.HasPrefix(p, "HTTP/") {
			pattern = p
			break
		}
	}
	return strings.ReplaceAll(pattern, "{fqdn}", fqdn) + "@" + k.Realm
}

// spnegoEnv tells the guarder to authenticate to the NM web endpoint (package guarder/contract):
// only when the keytab is mounted.
func spnegoEnv(enm *v1alpha1.ElasticNodeManager, fqdn string, mounts []corev1.VolumeMount) []corev1.EnvVar {
	k := enm.Spec.YARN.Kerberos
	if k == nil {
		return nil
	}
	for _, m := range mounts {
		if m.Name == volKeytab {
			return []corev1.EnvVar{
				{Name: contract.EnvNodeManagerPrincipal, Value: nodeManagerHTTPPrincipal(k, fqdn)},
				{Name: contract.EnvNodeManagerKeytab, Value: KeytabDir + "/" + KeytabFile},
				{Name: contract.EnvKrb5Config, Value: Krb5ConfPath},
			}
		}
	}
	return nil
}

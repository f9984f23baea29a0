package podspec

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// NodeManager container and port defaults (the CRD defaults them too).
const (
	NodeManagerContainerName = "nodemanager"
	DefaultRPCPort           = 8041
	DefaultHTTPPort          = 8042
)

// Options are operator-wide settings the pod needs.
type Options struct {
	// DefaultGuarderImage is used when spec.guarder.image is empty.
	DefaultGuarderImage string
}

// Ports returns the pinned NodeManager RPC and HTTP ports.
func Ports(enm *v1alpha1.ElasticNodeManager) (rpc, http int32) {
	rpc, http = enm.Spec.YARN.NodeManagerPorts.RPC, enm.Spec.YARN.NodeManagerPorts.HTTP
	if rpc == 0 {
		rpc = DefaultRPCPort
	}
	if http == 0 {
		http = DefaultHTTPPort
	}
	return rpc, http
}

// Build returns the NodeManager pod of enm on node with identity sip.
func Build(enm *v1alpha1.ElasticNodeManager, node string, sip *v1alpha1.StaticIP, opts Options) *corev1.Pod {
	t := enm.Spec.Template
	rpc, httpPort := Ports(enm)
	fqdn := sip.Spec.FQDN
	name := PodName(enm.Name, node)

	labels := map[string]string{}
	for k, v := range t.Labels {
		labels[k] = v
	}
	qos := t.QoSClass
	if qos == "" {
		qos = DefaultQoSClass
	}
	if qos != QoSNone {
		labels[LabelKoordQoS] = qos
	}
	labels[v1alpha1.LabelPool] = enm.Name
	labels[v1alpha1.LabelNode] = LabelValue(node)
	labels[v1alpha1.LabelStaticIP] = LabelValue(sip.Name)

	annotations := map[string]string{}
	for k, v := range t.Annotations {
		annotations[k] = v
	}
	cniKey, cniValue := CNIAnnotation(enm.Spec.StaticIPs, sip.Spec.Address)
	annotations[cniKey] = cniValue
	annotations[v1alpha1.AnnotationYARNNodeID] = YARNNodeID(fqdn, rpc)

	volumes, mounts := identityVolumes(enm, sip)
	volumes = append(volumes, t.Volumes...)
	mounts = append(mounts, t.VolumeMounts...)

	nm := corev1.Container{
		Name:            NodeManagerContainerName,
		Image:           t.Image,
		ImagePullPolicy: t.ImagePullPolicy,
		Command:         t.Command,
		Env:             append(nodeManagerEnv(enm, fqdn, rpc, httpPort), t.Env...),
		Ports: []corev1.ContainerPort{
			{Name: "nm-rpc", ContainerPort: rpc, Protocol: corev1.ProtocolTCP},
			{Name: "nm-http", ContainerPort: httpPort, Protocol: corev1.ProtocolTCP},
		},
		Resources:       nodeManagerResources(enm),
		VolumeMounts:    mounts,
		SecurityContext: seccompOnly(),
	}
	containers := []corev1.Container{nm}
	if GuarderEnabled(enm) {
		g, guarderVols := guarderContainer(enm, fqdn, mounts, opts.DefaultGuarderImage, httpPort)
		containers = append(containers, g)
		volumes = append(volumes, guarderVols...)
		if enm.Spec.Guarder.KoordletContainerEviction {
			labels[LabelKoordletNodeManager] = ValueKoordletNodeManager
		}
		annotations[v1alpha1.AnnotationGuarderTokenSecret] = GuarderTokenSecretName(enm)
	}

	priority := t.PriorityClassName
	if priority == "" {
		priority = DefaultPriority
	}
	share, noLinks := true, false
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:            name,
			Namespace:       enm.Namespace,
			Labels:          labels,
			Annotations:     annotations,
			OwnerReferences: []metav1.OwnerReference{ownerRef(enm)},
			Finalizers:      []string{v1alpha1.FinalizerStaticIPRelease},
		},
		Spec: corev1.PodSpec{
			Hostname:                      hostnameFor(fqdn),
			HostAliases:                   []corev1.HostAlias{{IP: sip.Spec.Address, Hostnames: hostAliasNames(fqdn)}},
			SecurityContext:               podSecurityContext(),
			ShareProcessNamespace:         &share,
			EnableServiceLinks:            &noLinks,
			Affinity:                      pinToNode(enm.Spec.Placement.Affinity, node),
			Tolerations:                   enm.Spec.Placement.Tolerations,
			PriorityClassName:             priority,
			ServiceAccountName:            t.ServiceAccountName,
			ImagePullSecrets:              t.ImagePullSecrets,
			TerminationGracePeriodSeconds: t.TerminationGracePeriodSeconds,
			RestartPolicy:                 corev1.RestartPolicyAlways,
			Containers:                    containers,
			Volumes:                       volumes,
		},
	}
	return pod
}

func ownerRef(enm *v1alpha1.ElasticNodeManager) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{
		APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager",
		Name: enm.Name, UID: enm.UID, Controller: &yes, BlockOwnerDeletion: &yes,
	}
}

// hostnameFor is the FQDN's first label when it is a valid pod hostname (63 characters).
func hostnameFor(fqdn string) string {
	short := ShortHostname(fqdn)
	if len(short) > 63 {
		return ""
	}
	return short
}

func hostAliasNames(fqdn string) []string {
	if short := ShortHostname(fqdn); short != fqdn {
		return []string{fqdn, short}
	}
	return []string{fqdn}
}

// nodeManagerEnv pins the NodeId (see the package documentation for the yarn-site.xml side).
func nodeManagerEnv(enm *v1alpha1.ElasticNodeManager, fqdn string, rpc, http int32) []corev1.EnvVar {
	props := []string{
		"-Dyarn.nodemanager.hostname=" + fqdn,
		"-Dyarn.nodemanager.bind-host=0.0.0.0",
		fmt.Sprintf("-Dyarn.nodemanager.address=%s:%d", fqdn, rpc),
		fmt.Sprintf("-Dyarn.nodemanager.webapp.address=%s:%d", fqdn, http),
	}
	env := []corev1.EnvVar{
		{Name: "NM_FQDN", Value: fqdn},
		{Name: "NM_RPC_PORT", Value: fmt.Sprint(rpc)},
		{Name: "NM_HTTP_PORT", Value: fmt.Sprint(http)},
		{Name: "YARN_NODEMANAGER_OPTS", Value: strings.Join(props, " ")},
		{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}},
	}
	if enm.Spec.YARN.HadoopConfigMap != "" {
		env = append(env, corev1.EnvVar{Name: "HADOOP_CONF_DIR", Value: HadoopConfDir})
	}
	if enm.Spec.YARN.Kerberos != nil {
		env = append(env, corev1.EnvVar{Name: "KRB5_CONFIG", Value: Krb5ConfPath})
	}
	return env
}

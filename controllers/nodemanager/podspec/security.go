package podspec

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// runtimeDefaultSeccomp is the container runtime's default seccomp profile. Every pod and
// every container the operator creates sets it: a pod-level value alone would be overridden
// by a container-level securityContext added later (by hand or by a webhook).
func runtimeDefaultSeccomp() *corev1.SeccompProfile {
	return &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
}

// podSecurityContext is the pod-level part: RuntimeDefault seccomp for every container.
func podSecurityContext() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{SeccompProfile: runtimeDefaultSeccomp()}
}

// seccompOnly is the security context of containers whose image decides everything else (the
// NodeManager needs its setuid container-executor, so privilege escalation stays allowed).
func seccompOnly() *corev1.SecurityContext {
	return &corev1.SecurityContext{SeccompProfile: runtimeDefaultSeccomp()}
}

// guarderIdentification is spec.guarder.containerIdentification or the CRD's default.
func guarderIdentification(g v1alpha1.GuarderSpec) v1alpha1.ContainerIdentification {
	if g.ContainerIdentification == "" {
		return v1alpha1.IdentifyByCgroup
	}
	return g.ContainerIdentification
}

// guarderCapabilities are the only capabilities the sidecar keeps. CAP_KILL signals the
// containers of other users. CAP_SYS_PTRACE is needed only when containers must be found
// through other users' /proc/<pid>/environ and cwd; with container cgroups, /proc/<pid>/cgroup,
// cmdline, stat and status are enough and are readable without it. CAP_SYS_PTRACE in a
// shared PID namespace also opens /proc/<pid>/root and /proc/<pid>/fd of the NodeManager, i.e.
// its keytab (docs/operations.md), so it is granted only when asked for.
func guarderCapabilities(enm *v1alpha1.ElasticNodeManager) []corev1.Capability {
	if guarderIdentification(enm.Spec.Guarder) == v1alpha1.IdentifyByProcessInspection {
		return []corev1.Capability{"KILL", "SYS_PTRACE"}
	}
	return []corev1.Capability{"KILL"}
}

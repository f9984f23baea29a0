package podspec

import (
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// allContainers lists every container of a pod spec, init and ephemeral ones included.
func allContainers(spec corev1.PodSpec) []corev1.Container {
	out := append([]corev1.Container(nil), spec.InitContainers...)
	out = append(out, spec.Containers...)
	for _, e := range spec.EphemeralContainers {
		out = append(out, corev1.Container(e.EphemeralContainerCommon))
	}
	return out
}

func TestEveryContainerUsesRuntimeDefaultSeccomp(t *testing.T) {
	withoutGuarder := sampleENM()
	no := false
	withoutGuarder.Spec.Guarder.Enabled = &no
	specs := map[string]corev1.PodSpec{
		"nodemanager pod":                 Build(sampleENM(), "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"}).Spec,
		"nodemanager pod without guarder": Build(withoutGuarder, "node-a", sampleSIP(), Options{}).Spec,
		"exclude job":                     ExcludeJob(sampleENM(), 1, []string{"h1.example.com"}, nil, time.Hour).Spec.Template.Spec,
	}
	for name, spec := range specs {
		if spec.SecurityContext == nil || spec.SecurityContext.SeccompProfile == nil ||
			spec.SecurityContext.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: pod securityContext %+v", name, spec.SecurityContext)
		}
		for _, c := range allContainers(spec) {
			if c.SecurityContext == nil || c.SecurityContext.SeccompProfile == nil ||
				c.SecurityContext.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("%s: container %s has no RuntimeDefault seccomp profile", name, c.Name)
			}
		}
	}
}

func TestGuarderCapabilitiesFollowContainerIdentification(t *testing.T) {
	for _, tc := range []struct {
		id   v1alpha1.ContainerIdentification
		want string
	}{
		{"", "[KILL]"}, // not defaulted by the API server: the CRD default
		{v1alpha1.IdentifyByCgroup, "[KILL]"},
		{v1alpha1.IdentifyByProcessInspection, "[KILL SYS_PTRACE]"},
	} {
		e := sampleENM()
		e.Spec.Guarder.ContainerIdentification = tc.id
		g := Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"}).Spec.Containers[1]
		caps := g.SecurityContext.Capabilities
		if got := fmt.Sprint(caps.Add); got != tc.want || fmt.Sprint(caps.Drop) != "[ALL]" {
			t.Errorf("%q: add %s drop %v, want add %s drop [ALL]", tc.id, got, caps.Drop, tc.want)
		}
	}
}

func TestGuarderSPNEGOSettings(t *testing.T) {
	k := &v1alpha1.KerberosSpec{Realm: "EX.COM"}
	if got := nodeManagerHTTPPrincipal(k, "nm1.example.com"); got != "HTTP/nm1.example.com@EX.COM" {
		t.Errorf("default principal %q", got)
	}
	k.NodeManagerPrincipals = []string{"yarn/{fqdn}", "HTTP/{fqdn}"}
	if got := nodeManagerHTTPPrincipal(k, "nm1.example.com"); got != "HTTP/nm1.example.com@EX.COM" {
		t.Errorf("listed principal %q", got)
	}

	env := func(e *v1alpha1.ElasticNodeManager) map[string]string {
		out := map[string]string{}
		for _, v := range Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"}).Spec.Containers[1].Env {
			out[v.Name] = v.Value
		}
		return out
	}
	withKerberos := env(sampleENM())
	if withKerberos["ELASTIC_YARN_GUARDER_NM_PRINCIPAL"] == "" || withKerberos["ELASTIC_YARN_GUARDER_NM_KEYTAB"] != KeytabDir+"/"+KeytabFile {
		t.Errorf("kerberos pool: %v", withKerberos)
	}
	plain := sampleENM()
	plain.Spec.YARN.Kerberos = nil
	if e := env(plain); e["ELASTIC_YARN_GUARDER_NM_PRINCIPAL"] != "" {
		t.Errorf("pool without Kerberos: %v", e)
	}
}

func TestKoordletContainerEvictionPod(t *testing.T) {
	off := Build(sampleENM(), "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"})
	if _, ok := off.Labels[LabelKoordletNodeManager]; ok {
		t.Fatalf("label set without the switch: koordlet would stop evicting this pod and ask a socket nobody serves")
	}
	for _, v := range off.Spec.Volumes {
		if v.HostPath != nil {
			t.Fatalf("hostPath volume without the switch: %+v", v)
		}
	}
	e := sampleENM()
	e.Spec.Guarder.KoordletContainerEviction = true
	pod := Build(e, "node-a", sampleSIP(), Options{DefaultGuarderImage: "g"})
	if pod.Labels["app.kubernetes.io/component"] != "node-manager" {
		t.Errorf("labels %v lack koordlet's default NodeManager label", pod.Labels)
	}
	var hostPath *corev1.HostPathVolumeSource
	for _, v := range pod.Spec.Volumes {
		if v.Name == volKoordletSocket {
			hostPath = v.HostPath
		}
	}
	if hostPath == nil || hostPath.Path != "/var/run/yarn-copilot" {
		t.Fatalf("hostPath %+v", hostPath)
	}
	g := pod.Spec.Containers[1]
	found := false
	for _, env := range g.Env {
		if env.Name == contract.EnvKoordletSocket && env.Value == "/var/run/yarn-copilot/yarn-copilot.sock" {
			found = true
		}
	}
	mounted := false
	for _, m := range g.VolumeMounts {
		mounted = mounted || (m.Name == volKoordletSocket && m.MountPath == "/var/run/yarn-copilot")
	}
	if !found || !mounted {
		t.Errorf("guarder env %v mounts %v", g.Env, g.VolumeMounts)
	}
	if len(pod.Spec.Containers[0].VolumeMounts) != len(off.Spec.Containers[0].VolumeMounts) {
		t.Errorf("the NodeManager container must not get the socket")
	}
}

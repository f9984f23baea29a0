package podspec

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func sampleENM() *v1alpha1.ElasticNodeManager {
	return &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: "night-pool", Namespace: "yarn-elastic", UID: "uid-1"},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN: v1alpha1.YARNSpec{
				ClusterName: "bigdata", ResourceManagers: []string{"https://rm1:8090"},
				HadoopConfigMap:  "hadoop-conf",
				NodeManagerPorts: v1alpha1.NodeManagerPorts{RPC: 8041, HTTP: 8042},
				Kerberos: &v1alpha1.KerberosSpec{Realm: "EX.COM", Krb5Conf: v1alpha1.ConfigMapKeyRef{Name: "krb5", Key: "krb5.conf"},
					ClientPrincipal: "op@EX.COM", ClientKeytab: v1alpha1.SecretKeyRef{Name: "op-keytab", Key: "keytab"}},
			},
			Template: v1alpha1.NodeManagerTemplate{
				Image: "hadoop:3.3.6", Command: []string{"yarn", "nodemanager"},
				Labels:      map[string]string{"team": "bigdata", v1alpha1.LabelPool: "spoofed"},
				Annotations: map[string]string{"note": "x"},
			},
			Placement: v1alpha1.PlacementSpec{
				Tolerations: []corev1.Toleration{{Key: "online", Operator: corev1.TolerationOpExists}},
			},
			StaticIPs: v1alpha1.StaticIPPoolSpec{},
			Mode:      v1alpha1.ModeScheduled,
			Capacity:  v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 10, MemoryMB: 30720}},
			Guarder:   v1alpha1.GuarderSpec{GracePeriod: &metav1.Duration{Duration: 5 * time.Minute}},
		},
	}
}

func sampleSIP() *v1alpha1.StaticIP {
	return &v1alpha1.StaticIP{
		ObjectMeta: metav1.ObjectMeta{Name: "nm-10-20-0-11", Namespace: "yarn-elastic"},
		Spec: v1alpha1.StaticIPSpec{Address: "10.20.0.11", FQDN: "nm-10-20-0-11.elastic.example.com",
			KeytabSecret: &v1alpha1.SecretKeyRef{Name: "nm-10-20-0-11-keytab", Key: "keytab"}},
	}
}

func golden(t *testing.T, name string, obj any) {
	t.Helper()
	got, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update and review the diff):\n%s", name, got)
	}
}

func TestBuildGolden(t *testing.T) {
	golden(t, "pod.golden.yaml", Build(sampleENM(), "node-a", sampleSIP(), Options{DefaultGuarderImage: "guarder:default"}))
}

func TestBuildFacts(t *testing.T) {
	pod := Build(sampleENM(), "node-a", sampleSIP(), Options{DefaultGuarderImage: "guarder:default"})
	if pod.Name != "night-pool-node-a" || pod.Namespace != "yarn-elastic" {
		t.Errorf("name %s/%s", pod.Namespace, pod.Name)
	}
	if pod.Labels[v1alpha1.LabelPool] != "night-pool" || pod.Labels[v1alpha1.LabelNode] != "node-a" || pod.Labels[v1alpha1.LabelStaticIP] != "nm-10-20-0-11" || pod.Labels["team"] != "bigdata" {
		t.Errorf("labels %v (ours must win over the template's)", pod.Labels)
	}
	if pod.Labels[LabelKoordQoS] != "BE" || pod.Spec.PriorityClassName != "koord-batch" {
		t.Errorf("koordinator defaults: %v %s", pod.Labels, pod.Spec.PriorityClassName)
	}
	if got := pod.Annotations["cni.projectcalico.org/ipAddrs"]; got != `["10.20.0.11"]` {
		t.Errorf("cni annotation %q", got)
	}
	if got := pod.Annotations[v1alpha1.AnnotationYARNNodeID]; got != "nm-10-20-0-11.elastic.example.com:8041" {
		t.Errorf("node id %q", got)
	}
	if pod.Spec.Hostname != "nm-10-20-0-11" || pod.Spec.HostAliases[0].IP != "10.20.0.11" || pod.Spec.HostAliases[0].Hostnames[0] != "nm-10-20-0-11.elastic.example.com" {
		t.Errorf("hostname %q aliases %v", pod.Spec.Hostname, pod.Spec.HostAliases)
	}
	if !*pod.Spec.ShareProcessNamespace || len(pod.Spec.Containers) != 2 {
		t.Errorf("shareProcessNamespace and the guarder are required")
	}
	if NodeOf(pod) != "node-a" {
		t.Errorf("NodeOf = %q", NodeOf(pod))
	}
	if pod.OwnerReferences[0].UID != "uid-1" || !*pod.OwnerReferences[0].Controller {
		t.Errorf("owner %v", pod.OwnerReferences)
	}
	if pod.Finalizers[0] != v1alpha1.FinalizerStaticIPRelease {
		t.Errorf("finalizers %v", pod.Finalizers)
	}
	nm := pod.Spec.Containers[0]
	if q := nm.Resources.Requests[BatchCPU]; q.Cmp(resource.MustParse("10000")) != 0 {
		t.Errorf("batch-cpu %s", q.String())
	}
	if q := nm.Resources.Limits[BatchMemory]; q.Value() != 30720*1024*1024 {
		t.Errorf("batch-memory %s", q.String())
	}
	var keytab *corev1.Volume
	for i := range pod.Spec.Volumes {
		if pod.Spec.Volumes[i].Name == volKeytab {
			keytab = &pod.Spec.Volumes[i]
		}
	}
	if keytab == nil || *keytab.Secret.DefaultMode != 0o400 || keytab.Secret.SecretName != "nm-10-20-0-11-keytab" {
		t.Fatalf("keytab volume %+v", keytab)
	}
	for _, m := range nm.VolumeMounts {
		if !m.ReadOnly {
			t.Errorf("mount %s must be read-only", m.Name)
		}
	}
	g := pod.Spec.Containers[1]
	sc := g.SecurityContext
	if g.Image != "guarder:default" || *sc.RunAsNonRoot || len(sc.Capabilities.Add) != 1 || sc.Capabilities.Add[0] != "KILL" || sc.Capabilities.Drop[0] != "ALL" || *sc.AllowPrivilegeEscalation {
		t.Errorf("guarder %+v", g)
	}
	if !strings.Contains(strings.Join(g.Args, " "), "--grace-period=5m0s") || !strings.Contains(strings.Join(g.Args, " "), "--dry-run=false") {
		t.Errorf("guarder args %v", g.Args)
	}
}

func TestBuildVariants(t *testing.T) {
	off := false
	cases := []struct {
		name  string
		mut   func(*v1alpha1.ElasticNodeManager, *v1alpha1.StaticIP)
		check func(*testing.T, *corev1.Pod)
	}{
		{"plain CNI format and custom key", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) {
			e.Spec.StaticIPs.AnnotationKey = "k8s.v1.cni/ip"
			e.Spec.StaticIPs.AnnotationFormat = "Plain"
		}, func(t *testing.T, p *corev1.Pod) {
			if p.Annotations["k8s.v1.cni/ip"] != "10.20.0.11" {
				t.Errorf("%v", p.Annotations)
			}
		}},
		{"template resources win", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) {
			e.Spec.Template.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2")}}
		}, func(t *testing.T, p *corev1.Pod) {
			if _, ok := p.Spec.Containers[0].Resources.Requests[BatchCPU]; ok {
				t.Error("batch resources added over the template's")
			}
		}},
		{"resident pool: the ceiling is not requested (YARN's share is in thirdPartyAllocations)", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) {
			e.Spec.Capacity.Static = nil
			e.Spec.Capacity.Dynamic = &v1alpha1.DynamicCapacity{Ceiling: &v1alpha1.Resources{VCores: 64, MemoryMB: 256 * 1024}}
		}, func(t *testing.T, p *corev1.Pod) {
			if r := p.Spec.Containers[0].Resources; len(r.Requests) != 0 || len(r.Limits) != 0 {
				t.Errorf("resident pool requests %v / limits %v, want nothing", r.Requests, r.Limits)
			}
		}},
		{"guarder disabled", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) { e.Spec.Guarder.Enabled = &off }, func(t *testing.T, p *corev1.Pod) {
			if len(p.Spec.Containers) != 1 || p.Annotations[v1alpha1.AnnotationGuarderTokenSecret] != "" {
				t.Error("guarder present")
			}
		}},
		{"guarder image and port from spec", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) {
			e.Spec.Guarder.Image = "g:1"
			e.Spec.Guarder.Port = 9999
			e.Spec.Guarder.DryRun = true
		}, func(t *testing.T, p *corev1.Pod) {
			g := p.Spec.Containers[1]
			if g.Image != "g:1" || g.Ports[0].ContainerPort != 9999 || !strings.Contains(strings.Join(g.Args, " "), "--dry-run=true") {
				t.Errorf("%+v", g)
			}
		}},
		{"qos None, no keytab, no kerberos", func(e *v1alpha1.ElasticNodeManager, s *v1alpha1.StaticIP) {
			e.Spec.Template.QoSClass = "None"
			e.Spec.YARN.Kerberos = nil
			s.Spec.KeytabSecret = nil
		}, func(t *testing.T, p *corev1.Pod) {
			if _, ok := p.Labels[LabelKoordQoS]; ok {
				t.Error("qos label")
			}
			for _, v := range p.Spec.Volumes {
				if v.Name == volKeytab || v.Name == volKrb5 {
					t.Errorf("unexpected volume %s", v.Name)
				}
			}
		}},
		{"template affinity is kept and ANDed with the node", func(e *v1alpha1.ElasticNodeManager, _ *v1alpha1.StaticIP) {
			e.Spec.Placement.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{
					{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a"}}}},
					{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"b"}}}},
				}}}}
		}, func(t *testing.T, p *corev1.Pod) {
			terms := p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
			for _, term := range terms {
				if len(term.MatchExpressions) != 1 || term.MatchFields[0].Values[0] != "node-a" {
					t.Errorf("term %+v", term)
				}
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, s := sampleENM(), sampleSIP()
			tc.mut(e, s)
			tc.check(t, Build(e, "node-a", s, Options{DefaultGuarderImage: "guarder:default"}))
		})
	}
	// The template affinity object must not be modified.
	e := sampleENM()
	e.Spec.Placement.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
		NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}}}
	Build(e, "node-a", sampleSIP(), Options{})
	if len(e.Spec.Placement.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchFields) != 0 {
		t.Error("Build modified the ENM")
	}
}

func TestNamesFitKubernetesLimits(t *testing.T) {
	long := strings.Repeat("n", 70) + ".example.com"
	if v := LabelValue(long); len(v) > 63 {
		t.Errorf("label value %q", v)
	}
	if LabelValue(long) == LabelValue(long+"x") {
		t.Error("hash collision on different names")
	}
	if n := PodName("pool", long); len(n) > 63 {
		t.Errorf("pod name %q", n)
	}
	if PodName("pool", "node-a") != "pool-node-a" {
		t.Error("short names stay readable")
	}
	pod := Build(sampleENM(), long, sampleSIP(), Options{})
	if NodeOf(pod) != long {
		t.Errorf("NodeOf must return the full node name, got %q", NodeOf(pod))
	}
}

func TestExcludeJob(t *testing.T) {
	e := sampleENM()
	e.Spec.Decommission = v1alpha1.DecommissionSpec{Strategy: v1alpha1.DecommissionYarnGraceful, ExcludeFile: "hdfs://nn/yarn/exclude"}
	job := ExcludeJob(e, 7, []string{"b.example.com", "a.example.com"}, []string{"c.example.com"}, 90*time.Minute)
	golden(t, "job.golden.yaml", job)
	env := map[string]string{}
	for _, v := range job.Spec.Template.Spec.Containers[0].Env {
		env[v.Name] = v.Value
	}
	if env["TIMEOUT_SECONDS"] != "5400" || env["EXCLUDE_HOSTS"] != "a.example.com b.example.com" || env["INCLUDE_HOSTS"] != "c.example.com" ||
		env["OPERATOR_PRINCIPAL"] != "op@EX.COM" || env["EXCLUDE_FILE"] != "hdfs://nn/yarn/exclude" {
		t.Errorf("env %v", env)
	}
	if got := ExcludedHosts(job); len(got) != 2 || got[0] != "a.example.com" {
		t.Errorf("ExcludedHosts = %v", got)
	}
	if job.Labels[LabelExcludeJob] != "true" || job.Labels[v1alpha1.LabelPool] != "night-pool" {
		t.Errorf("labels %v", job.Labels)
	}
	if job.Name != "night-pool-exclude-7" || ExcludeJobSeq(job) != 7 {
		t.Errorf("name %s seq %d", job.Name, ExcludeJobSeq(job))
	}
	if n := ExcludeJobName(strings.Repeat("p", 63), 123456); len(n) > 63 {
		t.Errorf("name %q too long", n)
	}
}

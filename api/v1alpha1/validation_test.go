package v1alpha1_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

const testNamespace = "validation"

func ensureNamespace(t *testing.T, name string) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := env.Client.Create(context.Background(), ns); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatalf("creating namespace %s: %v", name, err)
	}
}

// TestSamplesApply creates every sample under config/samples against the real apiserver.
func TestSamplesApply(t *testing.T) {
	ensureNamespace(t, "yarn-elastic")
	files, err := filepath.Glob(filepath.Join(envtest.RepoRoot(), "config", "samples", "*.yaml"))
	if err != nil || len(files) < 4 {
		t.Fatalf("expected at least 4 samples, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			obj := readObject(t, file)
			if err := env.Client.Create(context.Background(), obj); err != nil {
				t.Fatalf("sample %s rejected: %v", file, err)
			}
		})
	}
}

func readObject(t *testing.T, file string) *unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(raw, &obj.Object); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return obj
}

// minimalPool is the smallest valid ElasticNodeManager; defaulting fills in the rest.
func minimalPool(name string) map[string]any {
	return map[string]any{
		"apiVersion": "elasticyarn.io/v1alpha1",
		"kind":       "ElasticNodeManager",
		"metadata":   map[string]any{"name": name, "namespace": testNamespace},
		"spec": map[string]any{
			"yarn": map[string]any{
				"clusterName":      "prod",
				"resourceManagers": []any{"http://rm1.example.com:8088"},
			},
			"template":  map[string]any{"image": "hadoop:3.3.6"},
			"staticIPs": map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"pool": name}}},
			"mode":      "Scheduled",
			"schedule": map[string]any{
				"windows": []any{map[string]any{"start": "00:00", "end": "08:00"}},
			},
			"capacity": map[string]any{"static": map[string]any{"vcores": int64(10), "memoryMB": int64(30720)}},
		},
	}
}

func residentPool(name string) map[string]any {
	p := minimalPool(name)
	spec := p["spec"].(map[string]any)
	delete(spec, "schedule")
	spec["mode"] = "Resident"
	spec["capacity"] = map[string]any{
		"source":  "Koordinator",
		"dynamic": map[string]any{"prometheusURL": "http://prometheus:9090"},
	}
	return p
}

func TestDefaultsAreFilledIn(t *testing.T) {
	ensureNamespace(t, testNamespace)
	ctx := context.Background()
	for _, obj := range []map[string]any{minimalPool("defaults-scheduled"), residentPool("defaults-resident")} {
		if err := env.Client.Create(ctx, &unstructured.Unstructured{Object: obj}); err != nil {
			t.Fatalf("create: %v", err)
		}
	}
	var sched, res v1alpha1.ElasticNodeManager
	mustGet(t, "defaults-scheduled", &sched)
	mustGet(t, "defaults-resident", &res)

	checks := []struct {
		name      string
		got, want any
	}{
		{"nm rpc port", sched.Spec.YARN.NodeManagerPorts.RPC, int32(8041)},
		{"nm http port", sched.Spec.YARN.NodeManagerPorts.HTTP, int32(8042)},
		{"time zone", sched.Spec.Schedule.TimeZone, "UTC"},
		{"drain duration", sched.Spec.Schedule.Windows[0].DrainDuration.Duration.String(), "1h0m0s"},
		{"capacity source", sched.Spec.Capacity.Source, v1alpha1.CapacityStatic},
		{"decommission strategy", sched.Spec.Decommission.Strategy, v1alpha1.DecommissionDrain},
		{"decommission timeout", sched.Spec.Decommission.Timeout.Duration.String(), "1h0m0s"},
		{"shed after", sched.Spec.Decommission.ShedAfter.Duration.String(), "30m0s"},
		{"on delete", sched.Spec.Decommission.OnDelete, v1alpha1.DeletionDrain},
		{"guarder enabled", *sched.Spec.Guarder.Enabled, true},
		{"guarder port", sched.Spec.Guarder.Port, int32(9810)},
		{"guarder grace", sched.Spec.Guarder.GracePeriod.Duration.String(), "5m0s"},
		{"signal policy", sched.Spec.Guarder.SignalPolicy, v1alpha1.SignalGraceful},
		{"priority class", sched.Spec.Template.PriorityClassName, "koord-batch"},
		{"qos class", sched.Spec.Template.QoSClass, "BE"},
		{"cni annotation", sched.Spec.StaticIPs.AnnotationKey, "cni.projectcalico.org/ipAddrs"},
		{"cni format", sched.Spec.StaticIPs.AnnotationFormat, "JSONList"},
		{"node safety threshold", sched.Spec.NodeSafety.CPUThresholdPercent, int32(90)},
		{"shed order", sched.Spec.NodeSafety.ShedOrder, v1alpha1.ShedByApplicationPriority},
		{"update strategy", sched.Spec.UpdateStrategy.Type, v1alpha1.UpdateRollingUpdate},
		{"max unavailable", sched.Spec.UpdateStrategy.MaxUnavailable.String(), "10%"},
		{"progress deadline", sched.Spec.UpdateStrategy.ProgressDeadline.Duration.String(), "10m0s"},
		{"window", res.Spec.Capacity.Dynamic.Window.Duration.String(), "10m0s"},
		{"statistic", res.Spec.Capacity.Dynamic.Statistic, v1alpha1.StatisticMean},
		{"cpu metric", res.Spec.Capacity.Dynamic.CPUMetric, v1alpha1.BESuppressCPU},
		{"scale-up step", res.Spec.Capacity.Dynamic.ScaleUpStepVCores, int32(3)},
		{"scale-down tolerance", res.Spec.Capacity.Dynamic.ScaleDownTolerancePercent, int32(20)},
		{"interval", res.Spec.Capacity.Dynamic.Interval.Duration.String(), "1m0s"},
		{"stale after", res.Spec.Capacity.Dynamic.StaleAfter.Duration.String(), "3m0s"},
		{"shrink to floor after", res.Spec.Capacity.Dynamic.ShrinkToFloorAfter.Duration.String(), "15m0s"},
		{"memory policy", res.Spec.Capacity.Dynamic.Memory.Policy, v1alpha1.MemoryBatch},
		{"mb per vcore", res.Spec.Capacity.Dynamic.Memory.MBPerVCore, int32(4096)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("default %s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func mustGet(t *testing.T, name string, obj client.Object) {
	t.Helper()
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: testNamespace, Name: name}, obj); err != nil {
		t.Fatalf("get %s: %v", name, err)
	}
}

// set walks a dotted path in an unstructured object, creating maps on the way; a numeric
// element indexes a list.
func set(obj map[string]any, path string, value any) {
	parts := strings.Split(path, ".")
	var cur any = obj
	for i, p := range parts {
		last := i == len(parts)-1
		switch node := cur.(type) {
		case map[string]any:
			if last {
				if value == nil {
					delete(node, p)
				} else {
					node[p] = value
				}
				return
			}
			if _, ok := node[p]; !ok {
				node[p] = map[string]any{}
			}
			cur = node[p]
		case []any:
			idx := int(p[0] - '0')
			if last {
				node[idx] = value
				return
			}
			cur = node[idx]
		}
	}
}

func TestInvalidElasticNodeManagersAreRejected(t *testing.T) {
	ensureNamespace(t, testNamespace)
	type edit struct {
		path  string
		value any // nil deletes
	}
	cases := []struct {
		name     string
		base     func(string) map[string]any
		edits    []edit
		wantMsgs []string
	}{
		{"end before start", minimalPool, []edit{{"spec.schedule.windows.0.start", "22:00"}, {"spec.schedule.windows.0.end", "06:00"}},
			[]string{"end must be after start; for a window such as 22:00-06:00 set crossesMidnight: true"}},
		{"crossesMidnight with end after start", minimalPool, []edit{{"spec.schedule.windows.0.crossesMidnight", true}},
			[]string{"end must be after start; for a window such as 22:00-06:00 set crossesMidnight: true"}},
		{"start equals end", minimalPool, []edit{{"spec.schedule.windows.0.end", "00:00"}},
			[]string{"start and end must differ"}},
		{"hour out of range", minimalPool, []edit{{"spec.schedule.windows.0.start", "25:00"}},
			[]string{"spec.schedule.windows[0].start", "should match"}},
		{"unknown weekday", minimalPool, []edit{{"spec.schedule.windows.0.days", []any{"Monday"}}},
			[]string{`Unsupported value: "Monday"`}},
		{"drain longer than the off period", minimalPool, []edit{{"spec.schedule.windows.0.drainDuration", "17h"}},
			[]string{"drainDuration is too long: the window plus its drain must end before the window opens again the next day"}},
		{"negative drain", minimalPool, []edit{{"spec.schedule.windows.0.drainDuration", "-5m"}},
			[]string{"drainDuration must not be negative"}},
		{"negative capacity", minimalPool, []edit{{"spec.capacity.static.vcores", int64(-4)}},
			[]string{"spec.capacity.static.vcores", "should be greater than or equal to 0"}},
		{"absurd capacity", minimalPool, []edit{{"spec.capacity.static.memoryMB", int64(1) << 40}},
			[]string{"spec.capacity.static.memoryMB", "should be less than or equal to 16777216"}},
		{"static source without static capacity", minimalPool, []edit{{"spec.capacity.static", nil}},
			[]string{"capacity.static is required when capacity.source is Static"}},
		{"unknown mode", minimalPool, []edit{{"spec.mode", "Always"}},
			[]string{`Unsupported value: "Always"`}},
		{"scheduled without schedule", minimalPool, []edit{{"spec.schedule", nil}},
			[]string{"schedule is required when mode is Scheduled"}},
		{"schedule on an on-demand pool", minimalPool, []edit{{"spec.mode", "OnDemand"}, {"spec.onDemand", map[string]any{"nodes": int64(3)}}},
			[]string{"schedule is only allowed when mode is Scheduled"}},
		{"on-demand without request", minimalPool, []edit{{"spec.mode", "OnDemand"}, {"spec.schedule", nil}},
			[]string{"onDemand is required when mode is OnDemand"}},
		{"negative on-demand nodes", minimalPool, []edit{{"spec.mode", "OnDemand"}, {"spec.schedule", nil}, {"spec.onDemand", map[string]any{"nodes": int64(-1)}}},
			[]string{"spec.onDemand.nodes", "should be greater than or equal to 0"}},
		{"Koordinator capacity outside resident mode", residentPool, []edit{{"spec.mode", "Scheduled"}, {"spec.schedule", map[string]any{"windows": []any{map[string]any{"start": "00:00", "end": "08:00"}}}}},
			[]string{"capacity.source Koordinator needs mode Resident"}},
		{"Koordinator source without dynamic", residentPool, []edit{{"spec.capacity.dynamic", nil}},
			[]string{"capacity.dynamic is required when capacity.source is Koordinator"}},
		{"unknown statistic", residentPool, []edit{{"spec.capacity.dynamic.statistic", "Median"}},
			[]string{`Unsupported value: "Median"`}},
		{"quantile without percent", residentPool, []edit{{"spec.capacity.dynamic.statistic", "Quantile"}},
			[]string{"quantilePercent is required when statistic is Quantile"}},
		{"quantile out of range", residentPool, []edit{{"spec.capacity.dynamic.statistic", "Quantile"}, {"spec.capacity.dynamic.quantilePercent", int64(100)}},
			[]string{"spec.capacity.dynamic.quantilePercent", "should be less than or equal to 99"}},
		{"floor above ceiling", residentPool, []edit{{"spec.capacity.dynamic.floor", map[string]any{"vcores": int64(8)}}, {"spec.capacity.dynamic.ceiling", map[string]any{"vcores": int64(4)}}},
			[]string{"floor must not exceed ceiling"}},
		{"window too short", residentPool, []edit{{"spec.capacity.dynamic.window", "30s"}},
			[]string{"window must be between 1m and 24h"}},
		{"interval too short", residentPool, []edit{{"spec.capacity.dynamic.interval", "1s"}},
			[]string{"interval must be at least 10s"}},
		{"prometheus URL without scheme", residentPool, []edit{{"spec.capacity.dynamic.prometheusURL", "prometheus:9090"}},
			[]string{"prometheusURL must be an http:// or https:// URL"}},
		{"overcommit out of range", residentPool, []edit{{"spec.capacity.dynamic.overcommit", []any{map[string]any{"start": "00:00", "end": "06:00", "cpuPercent": int64(500)}}}},
			[]string{"cpuPercent", "should be less than or equal to 300"}},
		{"RM address without scheme", minimalPool, []edit{{"spec.yarn.resourceManagers", []any{"rm1.example.com:8088"}}},
			[]string{"each resourceManagers entry must be an http:// or https:// URL"}},
		{"no RM", minimalPool, []edit{{"spec.yarn.resourceManagers", []any{}}},
			[]string{"spec.yarn.resourceManagers", "should have at least 1 items"}},
		{"NM RPC port zero", minimalPool, []edit{{"spec.yarn.nodeManagerPorts", map[string]any{"rpc": int64(0)}}},
			[]string{"spec.yarn.nodeManagerPorts.rpc", "should be greater than or equal to 1024"}},
		{"bad node label", minimalPool, []edit{{"spec.yarn.nodeLabel", map[string]any{"name": "elastic pool"}}},
			[]string{"spec.yarn.nodeLabel.name", "should match"}},
		{"client principal in another realm", minimalPool, []edit{{"spec.yarn.kerberos", map[string]any{
			"realm": "EXAMPLE.COM", "krb5Conf": map[string]any{"name": "k", "key": "krb5.conf"},
			"clientPrincipal": "op@OTHER.COM", "clientKeytab": map[string]any{"name": "s", "key": "keytab"}}}},
			[]string{"clientPrincipal must be in the configured realm"}},
		{"NM principal without fqdn", minimalPool, []edit{{"spec.yarn.kerberos", map[string]any{
			"realm": "EXAMPLE.COM", "krb5Conf": map[string]any{"name": "k", "key": "krb5.conf"},
			"clientPrincipal": "op@EXAMPLE.COM", "clientKeytab": map[string]any{"name": "s", "key": "keytab"},
			"nodeManagerPrincipals": []any{"nm/host@EXAMPLE.COM"}}}},
			[]string{"each nodeManagerPrincipals entry must contain {fqdn} and no realm"}},
		{"graceful decommission without exclude file", minimalPool, []edit{{"spec.decommission", map[string]any{"strategy": "YarnGraceful"}}},
			[]string{"excludeFile is required for strategy YarnGraceful"}},
		{"shed after the drain timeout", minimalPool, []edit{{"spec.decommission", map[string]any{"timeout": "30m", "shedAfter": "45m"}}},
			[]string{"shedAfter must not be later than timeout"}},
		{"guarder grace of zero", minimalPool, []edit{{"spec.guarder", map[string]any{"gracePeriod": "0s"}}},
			[]string{"gracePeriod must be between 1s and 2h"}},
		{"unknown signal policy", minimalPool, []edit{{"spec.guarder", map[string]any{"signalPolicy": "Kill"}}},
			[]string{`Unsupported value: "Kill"`}},
		{"node safety threshold too low", minimalPool, []edit{{"spec.nodeSafety", map[string]any{"cpuThresholdPercent": int64(20)}}},
			[]string{"spec.nodeSafety.cpuThresholdPercent", "should be greater than or equal to 50"}},
		{"maxUnavailable of zero", minimalPool, []edit{{"spec.updateStrategy", map[string]any{"maxUnavailable": int64(0)}}},
			[]string{"maxUnavailable is a count of at least 1 or a percent from 1% to 100%"}},
		{"maxUnavailable of 0%", minimalPool, []edit{{"spec.updateStrategy", map[string]any{"maxUnavailable": "0%"}}},
			[]string{"maxUnavailable is a count of at least 1 or a percent from 1% to 100%"}},
		{"maxUnavailable not a percent", minimalPool, []edit{{"spec.updateStrategy", map[string]any{"maxUnavailable": "two"}}},
			[]string{"maxUnavailable is a count of at least 1 or a percent from 1% to 100%"}},
		{"unknown update strategy", minimalPool, []edit{{"spec.updateStrategy", map[string]any{"type": "Recreate"}}},
			[]string{`Unsupported value: "Recreate"`}},
		{"unknown CNI annotation format", minimalPool, []edit{{"spec.staticIPs.annotationFormat", "CSV"}},
			[]string{`Unsupported value: "CSV"`}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj := c.base("invalid-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26))
			for _, e := range c.edits {
				set(obj, e.path, e.value)
			}
			err := env.Client.Create(context.Background(), &unstructured.Unstructured{Object: obj})
			assertRejected(t, err, c.wantMsgs)
		})
	}
}

func assertRejected(t *testing.T, err error, wantMsgs []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want rejection mentioning %q", wantMsgs)
	}
	if !apierrors.IsInvalid(err) {
		t.Fatalf("want an Invalid error, got %v", err)
	}
	for _, m := range wantMsgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error does not mention %q:\n%v", m, err)
		}
	}
	t.Logf("rejected as expected: %v", err)
}

func staticIP(name, address, fqdn string) map[string]any {
	return map[string]any{
		"apiVersion": "elasticyarn.io/v1alpha1",
		"kind":       "StaticIP",
		"metadata":   map[string]any{"name": name, "namespace": testNamespace},
		"spec":       map[string]any{"address": address, "fqdn": fqdn},
	}
}

func TestInvalidStaticIPsAreRejected(t *testing.T) {
	ensureNamespace(t, testNamespace)
	cases := []struct {
		name, address, fqdn string
		wantMsgs            []string
	}{
		{"octet out of range", "10.0.0.300", "nm1.example.com", []string{"address must be a valid IPv4 or IPv6 address"}},
		{"hostname as address", "nm1.example.com", "nm1.example.com", []string{"address must be a valid IPv4 or IPv6 address"}},
		{"short name as fqdn", "10.0.0.1", "nm1", []string{"spec.fqdn", "should match"}},
		{"upper case fqdn", "10.0.0.1", "NM1.Example.com", []string{"spec.fqdn", "should match"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obj := staticIP("bad-"+string(rune('a'+i)), c.address, c.fqdn)
			err := env.Client.Create(context.Background(), &unstructured.Unstructured{Object: obj})
			assertRejected(t, err, c.wantMsgs)
		})
	}

	t.Run("name too long for a pod label", func(t *testing.T) {
		obj := staticIP(strings.Repeat("n", 64), "10.0.0.64", "nm64.example.com")
		err := env.Client.Create(context.Background(), &unstructured.Unstructured{Object: obj})
		assertRejected(t, err, []string{"StaticIP names must be at most 63 characters"})
	})

	t.Run("IPv6 accepted", func(t *testing.T) {
		obj := staticIP("v6", "fd00::11", "nm-v6.example.com")
		if err := env.Client.Create(context.Background(), &unstructured.Unstructured{Object: obj}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("address is immutable", func(t *testing.T) {
		ctx := context.Background()
		u := &unstructured.Unstructured{Object: staticIP("immutable", "10.0.0.9", "nm9.example.com")}
		if err := env.Client.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		var sip v1alpha1.StaticIP
		mustGet(t, "immutable", &sip)
		sip.Spec.Address = "10.0.0.10"
		assertRejected(t, env.Client.Update(ctx, &sip), []string{"address is immutable; create a new StaticIP instead"})
	})
}

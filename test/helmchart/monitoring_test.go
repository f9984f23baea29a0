package helmchart

import (
	"encoding/json"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

func TestOptionalObjectsOffByDefault(t *testing.T) {
	objs := template(t)
	for _, kind := range []string{"ServiceMonitor", "PodMonitor", "PodDisruptionBudget", "ConfigMap"} {
		if n := len(objs.OfKind(kind)); n != 0 {
			t.Errorf("%d %s rendered by default", n, kind)
		}
	}
	var svc corev1.Service
	if err := objs.Decode("Service", &svc); err != nil {
		t.Fatal(err)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != 8080 || svc.Spec.Ports[0].TargetPort.String() != "metrics" {
		t.Errorf("metrics Service ports %+v", svc.Spec.Ports)
	}
	if svc.Spec.Selector["app.kubernetes.io/instance"] != releaseName {
		t.Errorf("metrics Service selector %v", svc.Spec.Selector)
	}
}

func TestMonitoringWhenEnabled(t *testing.T) {
	objs := template(t, valueSets["everything on"])

	var sm struct {
		APIVersion string `json:"apiVersion"`
		Metadata   struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
		Spec struct {
			Selector  struct{ MatchLabels map[string]string } `json:"selector"`
			Endpoints []struct {
				Port, Path, Interval string
			} `json:"endpoints"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(one(t, objs, "ServiceMonitor").YAML, &sm); err != nil {
		t.Fatal(err)
	}
	if sm.APIVersion != "monitoring.coreos.com/v1" || sm.Metadata.Labels["release"] != "prometheus" {
		t.Errorf("ServiceMonitor %+v", sm)
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != "metrics" || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoints %+v", sm.Spec.Endpoints)
	}
	pm := string(one(t, objs, "PodMonitor").YAML)
	for _, want := range []string{"port: guarder-api", "key: elasticyarn.io/pool", "- yarn"} {
		if !strings.Contains(pm, want) {
			t.Errorf("PodMonitor lacks %q:\n%s", want, pm)
		}
	}

	var pdb policyv1.PodDisruptionBudget
	if err := objs.Decode("PodDisruptionBudget", &pdb); err != nil {
		t.Fatal(err)
	}
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != 2 {
		t.Errorf("PDB minAvailable %v", pdb.Spec.MinAvailable)
	}

	_, stderr, err := templateRaw(t, "metrics: {service: {enabled: false}, serviceMonitor: {enabled: true}}")
	if err == nil || !strings.Contains(stderr, "needs metrics.service.enabled") {
		t.Errorf("ServiceMonitor without a Service: want a failure, got %v\n%s", err, stderr)
	}
}

func one(t *testing.T, objs Objects, kind string) Object {
	t.Helper()
	of := objs.OfKind(kind)
	if len(of) != 1 {
		t.Fatalf("want one %s, got %d", kind, len(of))
	}
	return of[0]
}

func TestDashboard(t *testing.T) {
	var cm corev1.ConfigMap
	if err := template(t, "dashboard: {enabled: true}").Decode("ConfigMap", &cm); err != nil {
		t.Fatal(err)
	}
	if cm.Labels["grafana_dashboard"] != "1" {
		t.Errorf("dashboard labels %v", cm.Labels)
	}
	raw := cm.Data["elastic-yarn.json"]
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal([]byte(raw), &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	all := strings.Join(exprs, "\n")
	for _, metric := range []string{
		"elastic_yarn_capacity_offered_vcores", "elastic_yarn_capacity_available_vcores",
		"elastic_yarn_capacity_used_vcores", "elastic_yarn_capacity_resizes_total",
		"elastic_yarn_guarder_graceful_signals_total", "elastic_yarn_guarder_force_kills_total",
		"koordlet_pod_eviction",
	} {
		if !strings.Contains(all, metric) {
			t.Errorf("no panel queries %s", metric)
		}
	}
	for _, grouping := range []string{"by (pool)", "by (direction, reason)", "label_elasticyarn_io_pool"} {
		if !strings.Contains(all, grouping) {
			t.Errorf("no query groups %q", grouping)
		}
	}
	if dash.UID == "" {
		t.Error("dashboard without uid")
	}
}

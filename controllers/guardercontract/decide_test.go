package guardercontract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

var now = time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)

func current() contract.Info {
	return contract.Info{Version: "v0.2.0", Contract: 2, Capabilities: contract.Supported}
}

func pod(name string, age time.Duration, ready bool, info contract.Info, err string) Observation {
	return Observation{Pod: name, CreatedAt: now.Add(-age), Ready: ready, Info: info, VersionErr: err}
}

func TestRequired(t *testing.T) {
	for _, tc := range []struct {
		policy   v1alpha1.SignalPolicy
		kerberos bool
		want     string
	}{
		{"", false, "[processTrees]"},
		{v1alpha1.SignalGraceful, false, "[processTrees]"},
		{v1alpha1.SignalTermOnly, false, "[processTrees signalPolicy]"},
		{"", true, "[processTrees nodeManagerSPNEGO]"},
		{v1alpha1.SignalTermOnly, true, "[processTrees signalPolicy nodeManagerSPNEGO]"},
	} {
		spec := v1alpha1.ElasticNodeManagerSpec{Guarder: v1alpha1.GuarderSpec{SignalPolicy: tc.policy}}
		if tc.kerberos {
			spec.YARN.Kerberos = &v1alpha1.KerberosSpec{Realm: "EX.COM"}
		}
		if got := fmt.Sprint(Required(spec)); got != tc.want {
			t.Errorf("%q kerberos=%v: %s, want %s", tc.policy, tc.kerberos, got, tc.want)
		}
	}
	koord := v1alpha1.ElasticNodeManagerSpec{Guarder: v1alpha1.GuarderSpec{KoordletContainerEviction: true}}
	if got := fmt.Sprint(Required(koord)); got != "[processTrees koordletContainerEviction]" {
		t.Errorf("koordlet eviction: %s", got)
	}
}

func TestDecide(t *testing.T) {
	old := contract.Contract1Info
	noPolicy := contract.Info{Version: "v0.1.9", Contract: 2, Capabilities: []string{contract.CapabilityProcessTrees}}
	graceful := Required(v1alpha1.ElasticNodeManagerSpec{})
	termOnly := Required(v1alpha1.ElasticNodeManagerSpec{Guarder: v1alpha1.GuarderSpec{SignalPolicy: v1alpha1.SignalTermOnly}})
	for _, tc := range []struct {
		name     string
		obs      []Observation
		need     []string
		status   metav1.ConditionStatus
		reason   string
		contains []string
	}{
		{"no pods", nil, graceful, metav1.ConditionTrue, ReasonNoPods, nil},
		{"all current", []Observation{pod("a", time.Hour, true, current(), ""), pod("b", time.Hour, true, current(), "")}, termOnly,
			metav1.ConditionTrue, ReasonCompatible, []string{"2 guarders provide processTrees, signalPolicy"}},
		{"a contract-1 guarder (no /version)", []Observation{pod("a", time.Hour, true, current(), ""), pod("b", time.Hour, true, old, "")}, graceful,
			metav1.ConditionFalse, ReasonTooOld, []string{"1 of 2 guarders lack processTrees", "unknown (contract 1)", ": b;", "spec.guarder.image"}},
		{"TermOnly asked of a guarder without the setting", []Observation{pod("a", time.Hour, true, noPolicy, "")}, termOnly,
			metav1.ConditionFalse, ReasonTooOld, []string{"lack signalPolicy", "v0.1.9 (contract 2)"}},
		{"the same guarder is fine for Graceful", []Observation{pod("a", time.Hour, true, noPolicy, "")}, graceful,
			metav1.ConditionTrue, ReasonCompatible, nil},
		{"not ready past the startup grace", []Observation{pod("a", time.Hour, false, contract.Info{}, ""), pod("b", time.Hour, true, current(), "")}, graceful,
			metav1.ConditionFalse, ReasonNotReady, []string{"1 of 2 guarders not ready", ": a;"}},
		{"starting within the grace", []Observation{pod("a", time.Minute, false, contract.Info{}, ""), pod("b", time.Hour, true, current(), "")}, graceful,
			metav1.ConditionTrue, ReasonCompatible, []string{"1 starting"}},
		{"too old wins over not ready", []Observation{pod("a", time.Hour, false, contract.Info{}, ""), pod("b", time.Hour, true, old, "")}, graceful,
			metav1.ConditionFalse, ReasonTooOld, nil},
		{"ready but /version fails", []Observation{pod("a", time.Hour, true, contract.Info{}, "guarder unavailable (500)")}, graceful,
			metav1.ConditionFalse, ReasonUnreachable, []string{"do not answer /version"}},
		{"many pods are summarised", []Observation{pod("a", time.Hour, true, old, ""), pod("b", time.Hour, true, old, ""), pod("c", time.Hour, true, old, ""), pod("d", time.Hour, true, old, ""), pod("e", time.Hour, true, old, "")}, graceful,
			metav1.ConditionFalse, ReasonTooOld, []string{"5 of 5", "a, b, c and 2 more"}},
	} {
		v := Decide(tc.obs, tc.need, now)
		if v.Status != tc.status || v.Reason != tc.reason {
			t.Errorf("%s: %s %s (%s), want %s %s", tc.name, v.Status, v.Reason, v.Message, tc.status, tc.reason)
		}
		for _, want := range tc.contains {
			if !strings.Contains(v.Message, want) {
				t.Errorf("%s: message %q lacks %q", tc.name, v.Message, want)
			}
		}
	}
}

package statusapply

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestExtractKeepsOnlyOwnedConditionsAndFields(t *testing.T) {
	st := v1alpha1.ElasticNodeManagerStatus{
		ObservedGeneration: 3, EligibleNodes: 5, Offered: v1alpha1.PoolResources{VCores: 8},
		Conditions: []metav1.Condition{
			{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "R", LastTransitionTime: metav1.Now()},
			{Type: v1alpha1.ConditionMetricsFresh, Status: metav1.ConditionFalse, Reason: "M", LastTransitionTime: metav1.Now()},
		},
	}
	got, err := Extract(st, Owned{Conditions: []string{v1alpha1.ConditionMetricsFresh}, Fields: []string{"offered"}})
	if err != nil {
		t.Fatal(err)
	}
	conds, _ := got["conditions"].([]any)
	if len(got) != 2 || got["offered"] == nil || len(conds) != 1 || conds[0].(map[string]any)["type"] != v1alpha1.ConditionMetricsFresh {
		t.Fatalf("extract %v, want only offered and the MetricsFresh condition", got)
	}
	none, err := Extract(st, Owned{})
	if err != nil || len(none["conditions"].([]any)) != 0 || len(none) != 1 {
		t.Fatalf("nothing owned: %v %v, want an empty conditions list (owning no item)", none, err)
	}
}

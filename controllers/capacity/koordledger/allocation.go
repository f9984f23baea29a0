package koordledger

import (
	"encoding/json"
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// yarnAllocationPriority is the priority class of YARN's entry in thirdPartyAllocations:
// koord-manager subtracts what YARN uses from the batch allocatable it offers Kubernetes
// batch pods.
const yarnAllocationPriority = "koord-batch"

// MergeYARNAllocation returns the annotation value with the hadoop-yarn allocation set to
// used, keeping every other allocation (and any field we do not know) as it was. changed is
// false when the value would not change, so callers skip the patch.
func MergeYARNAllocation(current string, used policy.Resources) (value string, changed bool, err error) {
	var doc map[string]json.RawMessage
	if current != "" {
		if err := json.Unmarshal([]byte(current), &doc); err != nil {
			return "", false, fmt.Errorf("annotation %s is not JSON: %w", AnnotationThirdPartyAllocations, err)
		}
	}
	if doc == nil {
		doc = map[string]json.RawMessage{}
	}
	var allocations []map[string]json.RawMessage
	if raw, ok := doc["allocations"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &allocations); err != nil {
			return "", false, fmt.Errorf("annotation %s: allocations: %w", AnnotationThirdPartyAllocations, err)
		}
	}
	ours, err := yarnAllocation(used)
	if err != nil {
		return "", false, err
	}
	replaced := false
	for i, a := range allocations {
		var name string
		_ = json.Unmarshal(a["name"], &name)
		if name == YARNAllocationName {
			allocations[i] = ours
			replaced = true
		}
	}
	if !replaced {
		allocations = append(allocations, ours)
	}
	if doc["allocations"], err = json.Marshal(allocations); err != nil {
		return "", false, err
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return "", false, err
	}
	if current != "" && semanticallyEqual(current, string(out)) {
		return current, false, nil
	}
	return string(out), true, nil
}

func yarnAllocation(used policy.Resources) (map[string]json.RawMessage, error) {
	resources := map[string]string{
		// batch-cpu is an integer count of milli-cores.
		"kubernetes.io/batch-cpu":    strconv.FormatInt(max(0, used.VCores)*1000, 10),
		"kubernetes.io/batch-memory": resource.NewQuantity(max(0, used.MemoryMB)<<20, resource.BinarySI).String(),
	}
	fields := map[string]any{"name": YARNAllocationName, "priority": yarnAllocationPriority, "resources": resources}
	out := map[string]json.RawMessage{}
	for k, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[k] = raw
	}
	return out, nil
}

func semanticallyEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

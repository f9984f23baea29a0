// Package statusapply writes an ElasticNodeManager's status by server-side apply, one field
// manager per controller, so each controller owns its own condition types and fields and never
// overwrites another's. A JSON merge patch replaces the whole conditions list: a controller
// patching from a stale cache would revert the other's conditions (and fire their Events
// again). With apply, conditions (a +listType=map keyed by type) merge item by item, and a
// controller only ever sends the items and fields it owns. cert-manager writes its
// Certificate conditions the same way. Ownership is listed in docs/development.md.
package statusapply

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Field managers of the controllers that write ENM status.
const (
	ManagerNodeManager     = "elastic-yarn-nodemanager"
	ManagerCapacity        = "elastic-yarn-capacity"
	ManagerGuarderContract = "elastic-yarn-guardercontract"
)

// Owned is what one controller owns in the status.
type Owned struct {
	// Conditions are the condition types it owns.
	Conditions []string
	// Fields are the other top-level status fields it owns, by JSON name.
	Fields []string
}

// Apply sends the owned part of status as manager. Owned fields that are zero are omitted,
// which clears them (the manager gives them up and nobody else owns them).
func Apply(ctx context.Context, c client.Client, enm *v1alpha1.ElasticNodeManager, manager string, owned Owned) error {
	status, err := Extract(enm.Status, owned)
	if err != nil {
		return err
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": v1alpha1.GroupVersion.String(),
		"kind":       "ElasticNodeManager",
		"metadata":   map[string]any{"name": enm.Name, "namespace": enm.Namespace},
		"status":     status,
	}}
	return c.Status().Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(manager), client.ForceOwnership)
}

// Extract is the owned part of status as the apply body's status object.
func Extract(st v1alpha1.ElasticNodeManagerStatus, owned Owned) (map[string]any, error) {
	all, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&st)
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	out := map[string]any{}
	for _, f := range owned.Fields {
		// A zero struct converts to null, which the schema refuses for an object: leave it
		// out instead, which clears the field just the same.
		if v, ok := all[f]; ok && v != nil {
			if m, isMap := v.(map[string]any); !isMap || len(m) > 0 {
				out[f] = v
			}
		}
	}
	mine := map[string]bool{}
	for _, t := range owned.Conditions {
		mine[t] = true
	}
	conditions := []any{}
	for i := range st.Conditions {
		if !mine[st.Conditions[i].Type] {
			continue
		}
		c, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&st.Conditions[i])
		if err != nil {
			return nil, fmt.Errorf("condition %s: %w", st.Conditions[i].Type, err)
		}
		conditions = append(conditions, c)
	}
	out["conditions"] = conditions
	return out, nil
}

package staticippolicy

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Usable reports whether a StaticIP may be handed to a new NodeManager: the controller has
// checked it and found it Available (not a duplicate, keytab fine), nobody holds it, and on a
// Kerberos pool its keytab condition is True. The condition is checked on top of the phase so a
// phase written before the pool turned Kerberos on cannot hand out an unchecked keytab.
func Usable(sip *v1alpha1.StaticIP, requireKeytab bool) bool {
	if sip.Status.Phase != v1alpha1.StaticIPAvailable || sip.Status.Binding != nil {
		return false
	}
	if !sip.DeletionTimestamp.IsZero() {
		return false
	}
	if requireKeytab && !meta.IsStatusConditionTrue(sip.Status.Conditions, v1alpha1.ConditionKeytabValid) {
		return false
	}
	return true
}

// keytabInvalid reports a KeytabValid condition that is explicitly False.
func keytabInvalid(sip *v1alpha1.StaticIP) bool {
	c := meta.FindStatusCondition(sip.Status.Conditions, v1alpha1.ConditionKeytabValid)
	return c != nil && c.Status == metav1.ConditionFalse
}

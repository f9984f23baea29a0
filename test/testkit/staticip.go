package testkit

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// DefaultAddress is a StaticIP's address when none is given.
const DefaultAddress = "10.0.0.1"

// StaticIPOptions are a StaticIP's settings; every zero field takes its default.
type StaticIPOptions struct {
	Namespace string // DefaultNamespace
	// Address is spec.address (DefaultAddress).
	Address string
	// Name is "nm-" and the address with dashes, e.g. nm-10-0-0-1.
	Name string
	// FQDN is Name + ".example.test".
	FQDN string
	// Pool is the elasticyarn.io/pool label, which Pool's default selector matches
	// (DefaultPoolName). Labels, when set, replace it.
	Pool   string
	Labels map[string]string
	// NoKeytab leaves spec.keytabSecret unset, as in a cluster with simple authentication;
	// by default it names the Secret Name + "-keytab", key "keytab" (test/kdc makes one).
	NoKeytab bool
	// Phase is written to status (the API server ignores status on create; a test that
	// needs the phase stored patches the status after creating).
	Phase v1alpha1.StaticIPPhase
}

// StaticIP builds a StaticIP that the CRD's validation accepts.
func StaticIP(o StaticIPOptions) *v1alpha1.StaticIP {
	addr := or(o.Address, DefaultAddress)
	name := or(o.Name, "nm-"+strings.ReplaceAll(addr, ".", "-"))
	labels := o.Labels
	if labels == nil {
		labels = map[string]string{v1alpha1.LabelPool: or(o.Pool, DefaultPoolName)}
	}
	sip := &v1alpha1.StaticIP{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "StaticIP"},
		ObjectMeta: metav1.ObjectMeta{Namespace: or(o.Namespace, DefaultNamespace), Name: name, Labels: labels},
		Spec:       v1alpha1.StaticIPSpec{Address: addr, FQDN: or(o.FQDN, name+".example.test")},
		Status:     v1alpha1.StaticIPStatus{Phase: o.Phase},
	}
	if !o.NoKeytab {
		sip.Spec.KeytabSecret = &v1alpha1.SecretKeyRef{Name: name + "-keytab", Key: "keytab"}
	}
	return sip
}

package staticip

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// Reasons of KeytabValid=Unknown: the check could not be made, which says nothing about the
// keytab itself.
const (
	ReasonKrb5ConfUnavailable = "Krb5ConfUnavailable"
	ReasonKeytabUnreadable    = "KeytabUnreadable"
)

// keytabVerdict is the KeytabValid condition to set.
type keytabVerdict struct {
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

func verdictOf(r staticippolicy.KeytabResult) keytabVerdict {
	status := metav1.ConditionFalse
	if r.Valid() {
		status = metav1.ConditionTrue
	}
	return keytabVerdict{Status: status, Reason: string(r.Reason), Message: r.Message}
}

// checkKeytab checks the StaticIP's keytab against every Kerberos pool that selects it (sorted
// by name, first failure wins). It returns nil when no Kerberos pool selects the StaticIP:
// without a realm and principals there is nothing to check against.
func (r *Reconciler) checkKeytab(ctx context.Context, sip *v1alpha1.StaticIP, pools []v1alpha1.ElasticNodeManager) *keytabVerdict {
	var last *keytabVerdict
	for i := range pools {
		pool := &pools[i]
		if pool.Spec.YARN.Kerberos == nil {
			continue
		}
		v := r.checkKeytabFor(ctx, sip, pool)
		if v.Status != metav1.ConditionTrue {
			return &v
		}
		last = &v
	}
	return last
}

func (r *Reconciler) checkKeytabFor(ctx context.Context, sip *v1alpha1.StaticIP, pool *v1alpha1.ElasticNodeManager) keytabVerdict {
	krb := pool.Spec.YARN.Kerberos
	ref := sip.Spec.KeytabSecret
	if ref == nil {
		return verdictOf(staticippolicy.KeytabResult{Reason: staticippolicy.KeytabMissing,
			Message: fmt.Sprintf("spec.keytabSecret is not set, but pool %s uses Kerberos", pool.Name)})
	}
	conf, err := r.krb5Conf(ctx, pool)
	if err != nil {
		return keytabVerdict{Status: metav1.ConditionUnknown, Reason: ReasonKrb5ConfUnavailable, Message: err.Error()}
	}
	data, err := r.keytabBytes(ctx, sip.Namespace, ref)
	var missing *missingKeytabError
	switch {
	case errors.As(err, &missing):
		return verdictOf(staticippolicy.KeytabResult{Reason: staticippolicy.KeytabMissing, Message: missing.Error()})
	case err != nil:
		return keytabVerdict{Status: metav1.ConditionUnknown, Reason: ReasonKeytabUnreadable, Message: err.Error()}
	}
	in := staticippolicy.KeytabInput{Data: data, FQDN: sip.Spec.FQDN, Realm: krb.Realm, Principals: krb.NodeManagerPrincipals, Krb5Conf: conf}
	result := staticippolicy.ValidateKeytab(in)
	if result.Valid() && r.ProveKeytabs {
		result = r.prove(ctx, in, result)
	}
	return verdictOf(result)
}

// prove asks the KDC, as the first required principal, whether the keytab's keys are current.
// An unreachable KDC keeps the local verdict: it says nothing about the keytab.
func (r *Reconciler) prove(ctx context.Context, in staticippolicy.KeytabInput, local staticippolicy.KeytabResult) staticippolicy.KeytabResult {
	principal := staticippolicy.RequiredPrincipals(in.Principals, in.FQDN, in.Realm)[0]
	principal = principal[:strings.LastIndex(principal, "@")]
	proof, err := staticippolicy.ProveKeytab(ctx, in.Data, principal, in.Realm, in.Krb5Conf)
	if err != nil {
		return local
	}
	if !proof.Valid() {
		proof.Kvno = local.Kvno
		return proof
	}
	local.Message += "; " + proof.Message
	return local
}

type missingKeytabError struct{ msg string }

func (e *missingKeytabError) Error() string { return e.msg }

// keytabBytes reads the keytab through the uncached reader. The bytes stay in this call's
// memory: they are never logged, stored or put in an error.
func (r *Reconciler) keytabBytes(ctx context.Context, ns string, ref *v1alpha1.SecretKeyRef) ([]byte, error) {
	var secret corev1.Secret
	if err := r.APIReader.Get(ctx, types.NamespacedName{Namespace: ns, Name: ref.Name}, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &missingKeytabError{fmt.Sprintf("Secret %s/%s not found", ns, ref.Name)}
		}
		return nil, fmt.Errorf("reading Secret %s/%s: %w", ns, ref.Name, err)
	}
	data, ok := secret.Data[ref.Key]
	if !ok || len(data) == 0 {
		return nil, &missingKeytabError{fmt.Sprintf("Secret %s/%s has no key %q or it is empty", ns, ref.Name, ref.Key)}
	}
	return data, nil
}

// krb5Conf reads and parses the pool's krb5.conf for the permitted enctypes.
func (r *Reconciler) krb5Conf(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (*config.Config, error) {
	ref := pool.Spec.YARN.Kerberos.Krb5Conf
	var cm corev1.ConfigMap
	if err := r.APIReader.Get(ctx, types.NamespacedName{Namespace: pool.Namespace, Name: ref.Name}, &cm); err != nil {
		return nil, fmt.Errorf("pool %s: krb5.conf ConfigMap %s: %w", pool.Name, ref.Name, err)
	}
	text, ok := cm.Data[ref.Key]
	if !ok {
		return nil, fmt.Errorf("pool %s: ConfigMap %s has no key %q", pool.Name, ref.Name, ref.Key)
	}
	conf, err := config.NewFromString(text)
	if err != nil {
		return nil, fmt.Errorf("pool %s: krb5.conf in ConfigMap %s does not parse: %w", pool.Name, ref.Name, err)
	}
	return conf, nil
}

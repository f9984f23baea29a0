// Package guardertoken gives every pool with guarders a Secret holding a random bearer token.
// The NodeManager pods mount it for the guarder sidecar; the operator's guarder client reads it
// to authenticate. The token never appears in specs, status, Events or logs.
package guardertoken

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// Secrets are created and read one by one (never listed or watched), so the operator does not
// cache every Secret of the cluster.
//
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;create
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers,verbs=get;list;watch

// Reconciler ensures the token Secret of each ElasticNodeManager exists.
type Reconciler struct {
	Client client.Client
	// APIReader reads Secrets without a cache.
	APIReader client.Reader
}

// Reconcile creates the Secret when it is missing. An existing Secret is left alone, so an
// administrator can rotate the token by editing it (guarders re-read the mounted file).
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var enm v1alpha1.ElasticNodeManager
	if err := r.Client.Get(ctx, req.NamespacedName, &enm); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !enm.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	key := client.ObjectKey{Namespace: enm.Namespace, Name: podspec.GuarderTokenSecretName(&enm)}
	var existing corev1.Secret
	err := r.APIReader.Get(ctx, key, &existing)
	if err == nil || !apierrors.IsNotFound(err) {
		return ctrl.Result{}, err
	}
	token, err := newToken()
	if err != nil {
		return ctrl.Result{}, err
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: key.Name, Namespace: key.Namespace, Labels: map[string]string{v1alpha1.LabelPool: enm.Name}},
		Type:       corev1.SecretTypeOpaque,
		Data:       map[string][]byte{guarderclient.TokenKey: []byte(token)},
	}
	if err := controllerutil.SetControllerReference(&enm, secret, r.Client.Scheme()); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.Client.Create(ctx, secret); err != nil && !apierrors.IsAlreadyExists(err) {
		return ctrl.Result{}, fmt.Errorf("creating the guarder token Secret %s: %w", key, err)
	}
	ctrl.LoggerFrom(ctx).Info("Created the guarder token Secret", "secret", key.String())
	return ctrl.Result{}, nil
}

// newToken returns 32 random bytes, base64url-encoded.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// SetupWithManager registers the controller. Deleting the Secret by hand is repaired at the next
// spec change or operator restart; the pods keep their mounted copy meanwhile.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Client == nil {
		r.Client = mgr.GetClient()
	}
	if r.APIReader == nil {
		r.APIReader = mgr.GetAPIReader()
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("guardertoken").
		For(&v1alpha1.ElasticNodeManager{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Complete(r)
}

package localcluster

import (
	"context"
	"fmt"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// ServiceAccountKubeconfig creates the ServiceAccount namespace/name if it is missing, asks the
// apiserver for a token of it (TokenRequest, valid for a day) and writes a kubeconfig with that
// token to path, so a process runs as system:serviceaccount:<namespace>:<name> with exactly
// the RBAC bound to it, as it would in a pod.
func (cp *ControlPlane) ServiceAccountKubeconfig(ctx context.Context, c client.Client, namespace, name, path string) error {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}
	if err := c.Create(ctx, sa); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating ServiceAccount %s/%s: %w", namespace, name, err)
	}
	day := int64(24 * 60 * 60)
	req := &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &day}}
	if err := c.SubResource("token").Create(ctx, sa, req); err != nil {
		return fmt.Errorf("token for ServiceAccount %s/%s: %w", namespace, name, err)
	}
	return writeKubeconfig(path, cp.Server, req.Status.Token)
}

package localcluster

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Scheme holds the kinds the harnesses read and write: core Kubernetes, elasticyarn.io and CRDs.
func Scheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, v1alpha1.AddToScheme, apiextensionsv1.AddToScheme} {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// RestConfig reads a kubeconfig written by StartControlPlane, with client-side rate limits
// high enough to create thousands of objects quickly.
func RestConfig(kubeconfig string) (*rest.Config, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 100, 200
	return cfg, nil
}

// NewClient is a controller-runtime client for the kubeconfig with Scheme.
func NewClient(kubeconfig string) (client.Client, error) {
	cfg, err := RestConfig(kubeconfig)
	if err != nil {
		return nil, err
	}
	s, err := Scheme()
	if err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: s})
}

// PrepareCluster creates what a real cluster would already have: the namespace with its
// default ServiceAccount (there is no kube-controller-manager to make it) and Koordinator's
// koord-batch PriorityClass that NodeManager pods use.
func PrepareCluster(ctx context.Context, c client.Client, namespace string) error {
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}},
		&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: namespace}},
		&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "koord-batch"}, Value: 5000,
			Description: "Koordinator batch priority (created by a local harness)"},
	}
	for _, o := range objs {
		if err := c.Create(ctx, o); err != nil {
			return fmt.Errorf("creating %T %s: %w", o, o.GetName(), err)
		}
	}
	return nil
}

// ApplyCRDs applies config/crd/bases server-side (the ENM CRD is too large for a client-side
// apply) with the real kubectl, and waits until they are established.
func ApplyCRDs(ctx context.Context, kubectl, repoRoot, kubeconfig string, c client.Client) error {
	cmd := exec.CommandContext(ctx, kubectl, "--kubeconfig="+kubeconfig, "apply", "--server-side",
		"-f", filepath.Join(repoRoot, "config", "crd", "bases"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kubectl apply --server-side: %v: %s", err, out)
	}
	for _, name := range []string{"elasticnodemanagers.elasticyarn.io", "staticips.elasticyarn.io"} {
		err := WaitFor(ctx, nil, 30*time.Second, "CRD "+name+" established", func() error {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := c.Get(ctx, client.ObjectKey{Name: name}, &crd); err != nil {
				return err
			}
			for _, cond := range crd.Status.Conditions {
				if cond.Type == apiextensionsv1.Established && cond.Status == apiextensionsv1.ConditionTrue {
					return nil
				}
			}
			return fmt.Errorf("not established")
		})
		if err != nil {
			return err
		}
	}
	return nil
}

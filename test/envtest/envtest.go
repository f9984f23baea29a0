// Package envtest starts a real kube-apiserver and etcd (controller-runtime envtest) with this
// project's CRDs installed, for tests in any package.
//
// The binaries come from KUBEBUILDER_ASSETS, or else from hack/envtest-assets.sh, which builds
// kube-apiserver from the Go module proxy once and caches it.
package envtest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crenvtest "sigs.k8s.io/controller-runtime/pkg/envtest"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// Environment is a running apiserver with the project's CRDs.
type Environment struct {
	Config *rest.Config
	Client client.Client
	Scheme *k8sruntime.Scheme
	env    *crenvtest.Environment
}

// RepoRoot is the root of this repository, found from this file's location.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Scheme returns a scheme with the core Kubernetes kinds and this project's kinds.
func Scheme() *k8sruntime.Scheme {
	s := k8sruntime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}

// Start starts the apiserver. When the binaries cannot be found it returns
// ErrAssetsMissing, which a TestMain turns into a skip or a failure with
// realcomponents.Required.
func Start() (*Environment, error) {
	assets, err := assetsDir()
	if err != nil {
		return nil, err
	}
	s := Scheme()
	env := &crenvtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{filepath.Join(RepoRoot(), "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		Scheme:                s,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd from %s: %w", assets, err)
	}
	c, err := client.New(cfg, client.Options{Scheme: s})
	if err != nil {
		_ = env.Stop()
		return nil, err
	}
	return &Environment{Config: cfg, Client: c, Scheme: s, env: env}, nil
}

// Stop stops the apiserver and etcd.
func (e *Environment) Stop() error { return e.env.Stop() }

// GVR of the ElasticNodeManager resource, handy for dynamic and kubectl calls.
var ElasticNodeManagers = schema.GroupVersionResource{Group: v1alpha1.GroupVersion.Group, Version: v1alpha1.GroupVersion.Version, Resource: "elasticnodemanagers"}

// ErrAssetsMissing means neither KUBEBUILDER_ASSETS nor hack/envtest-assets.sh gave binaries.
var ErrAssetsMissing = fmt.Errorf("envtest binaries (kube-apiserver, etcd) not available")

func assetsDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	if !realcomponents.Required() {
		// Building kube-apiserver takes minutes; only do it unasked when real components are
		// required (make test). A developer can run hack/envtest-assets.sh once.
		return "", fmt.Errorf("%w: set KUBEBUILDER_ASSETS=$(hack/envtest-assets.sh)", ErrAssetsMissing)
	}
	out, err := exec.Command(filepath.Join(RepoRoot(), "hack", "envtest-assets.sh")).Output()
	if err != nil {
		return "", fmt.Errorf("%w: hack/envtest-assets.sh: %v", ErrAssetsMissing, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Kubectl runs the kubectl from the envtest assets against this apiserver, as an admin.
func (e *Environment) Kubectl(args ...string) (string, error) {
	k := e.env.ControlPlane.KubeCtl()
	stdout, stderr, err := k.Run(args...)
	var out, errOut []byte
	if stdout != nil {
		out, _ = io.ReadAll(stdout)
	}
	if stderr != nil {
		errOut, _ = io.ReadAll(stderr)
	}
	if err != nil {
		return string(out), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, errOut)
	}
	return string(out), nil
}

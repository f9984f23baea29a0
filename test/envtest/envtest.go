// Package envtest starts a real kube-apiserver and etcd (controller-runtime envtest) with this
// project's CRDs installed, for tests in any package.
//
// The binaries come from KUBEBUILDER_ASSETS, or else from hack/tools.sh's cache, which
// `make deps` fills once (kube-apiserver built from the Go module proxy at a pinned version).
package envtest

import (
	"fmt"
	"io"
	"os"
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

// ErrAssetsMissing means neither KUBEBUILDER_ASSETS nor hack/tools.sh gave binaries.
var ErrAssetsMissing = fmt.Errorf("envtest binaries (kube-apiserver, etcd) not available")

func assetsDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	dir, err := realcomponents.ToolPath("kube")
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrAssetsMissing, err)
	}
	return dir, nil
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

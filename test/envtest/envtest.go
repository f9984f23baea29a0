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
	"testing"

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
	assets, err := AssetsDir()
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

// AssetsDir is the one place tests find the control-plane binaries (kube-apiserver, etcd,
// kubectl and, from hack/tools.sh, kube-scheduler and kube-controller-manager):
// KUBEBUILDER_ASSETS when it is set and holds every binary named in also, else hack/tools.sh's
// cache, which `make deps` fills. It returns ErrAssetsMissing when neither has them.
func AssetsDir(also ...string) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" && hasAll(dir, also) {
		return dir, nil
	}
	dir, err := realcomponents.ToolPath("kube")
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrAssetsMissing, err)
	}
	return dir, nil
}

// Assets is AssetsDir for a test: missing binaries skip it, or fail it when real components
// are required (realcomponents.Required).
func Assets(t testing.TB, also ...string) string {
	t.Helper()
	dir, err := AssetsDir(also...)
	if err != nil {
		realcomponents.Missing(t, err.Error())
	}
	return dir
}

func hasAll(dir string, names []string) bool {
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			return false
		}
	}
	return true
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

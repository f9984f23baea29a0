package nodemanager

import (
	"os"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

// env is the package's real kube-apiserver and etcd.
var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

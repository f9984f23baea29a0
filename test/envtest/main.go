package envtest

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// RunMain is a TestMain body: it starts one apiserver for the package's tests, stores it in
// *shared, runs the tests and stops it. Missing binaries skip the package on a developer
// machine and fail it under ELASTIC_YARN_REQUIRE_REAL=1.
func RunMain(m *testing.M, shared **Environment) int {
	env, err := Start()
	if err != nil {
		if errors.Is(err, ErrAssetsMissing) && !realcomponents.Required() {
			fmt.Fprintf(os.Stderr, "SKIP: %v\n", err)
			return 0
		}
		fmt.Fprintf(os.Stderr, "envtest: %v\n", err)
		return 1
	}
	*shared = env
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "envtest: stop: %v\n", err)
	}
	return code
}

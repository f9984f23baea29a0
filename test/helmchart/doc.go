// Package helmchart tests the Helm chart in charts/elastic-yarn-operator with a real helm
// binary: lint, rendering with several value sets, the values schema, and that the CRDs and
// RBAC rules in the chart are exactly the generated ones in config/.
//
// helm is built at a pinned version from the Go module proxy by hack/tools.sh (`make deps`), in
// a throw-away module, never through this project's go.mod. Tests never build it: without it
// they skip, or fail under ELASTIC_YARN_REQUIRE_REAL=1.
package helmchart

// Package helmchart tests the Helm chart in charts/elastic-yarn-operator with a real helm
// binary: lint, rendering with several value sets, the values schema, and that the CRDs and
// RBAC rules in the chart are exactly the generated ones in config/.
//
// helm is built from the Go module proxy by hack/helm.sh in a throw-away module (never through
// this project's go.mod). Without a built helm the tests skip, unless
// ELASTIC_YARN_REQUIRE_REAL=1, in which case they build it themselves (a few minutes once).
package helmchart

// Command crd-ref writes the API reference (docs/reference/api.md) from the generated CRDs in
// config/crd/bases: every field path with its type, default, enum, validation (including the
// CEL rules and messages of x-kubernetes-validations) and description.
//
// Fields whose Go type comes from Kubernetes itself (corev1.Affinity, metav1.Condition, ...) are
// listed once, not expanded: their schema is Kubernetes' own and `kubectl explain` documents it.
// Which fields those are is read from the Go sources of the API (go/parser), so the reference
// follows the types without a hand-kept list.
//
// The output depends only on its inputs (files sorted, map keys sorted), so `make generate`
// can regenerate it and `make verify` can fail on a stale copy.
//
//	go run ./hack/crd-ref -crds config/crd/bases -api api/v1alpha1 -out docs/reference/api.md
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	crds := flag.String("crds", "config/crd/bases", "directory of the generated CRD YAML files")
	api := flag.String("api", "api/v1alpha1", "directory of the API's Go types")
	out := flag.String("out", "docs/reference/api.md", "Markdown file to write")
	flag.Parse()

	doc, err := Generate(*crds, *api)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crd-ref:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "crd-ref:", err)
		os.Exit(1)
	}
}

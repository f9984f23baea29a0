package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	crdDir = "../../config/crd/bases"
	apiDir = "../../api/v1alpha1"
	docOut = "../../docs/reference/api.md"
)

// The committed reference must be what the generator makes from the committed CRDs.
func TestReferenceUpToDate(t *testing.T) {
	want, err := Generate(crdDir, apiDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(docOut)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/reference/api.md is stale: run `go run ./hack/crd-ref` and commit it")
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	first, err := Generate(crdDir, apiDir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		again, err := Generate(crdDir, apiDir)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("two runs produced different output")
		}
	}
}

// What the reference must show for fields we know: defaults, enums, CEL messages, escaping,
// and Kubernetes types listed but not expanded.
func TestReferenceContent(t *testing.T) {
	doc, err := Generate(crdDir, apiDir)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	for _, want := range []string{
		"## ElasticNodeManager", "## StaticIP",
		"| `spec.guarder.port` | integer (int32) | `9810` | >= 1024; <= 65535 |",
		`rule ` + "`isIP(self)`" + `: "address must be a valid IPv4 or IPv6 address"`,
		"one of `Available`, `Bound`, `Releasing`, `Invalid`",
		"| `spec.template.volumes` | []object (`corev1.Volume`) |",
		"| `status.conditions` | []object (`metav1.Condition`) |",
		`\|\|`, // CEL "or" escaped inside table cells
	} {
		if !strings.Contains(s, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
	for _, unwanted := range []string{"spec.template.volumes[].", "spec.placement.affinity.", "status.conditions[]."} {
		if strings.Contains(s, unwanted) {
			t.Errorf("reference expands a Kubernetes type: %q", unwanted)
		}
	}
	for i, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "| `") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 6 {
			t.Errorf("line %d is not a 5-column row: %s", i+1, line)
		}
	}
}

// Every property path of the schema appears, except inside Kubernetes types.
func TestEveryFieldListed(t *testing.T) {
	crds, err := readCRDs(crdDir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Generate(crdDir, apiDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range crds {
		foreign, err := foreignFields(apiDir, c.Spec.Names.Kind)
		if err != nil {
			t.Fatal(err)
		}
		if len(foreign) == 0 {
			t.Fatalf("%s: no Kubernetes-typed fields found in %s", c.Spec.Names.Kind, apiDir)
		}
		var paths []string
		collect(c.Spec.Versions[0].Schema.OpenAPIV3Schema, "", foreign, &paths)
		for _, p := range paths {
			if !bytes.Contains(doc, []byte("| `"+p+"` |")) {
				t.Errorf("%s: field %s missing", c.Spec.Names.Kind, p)
			}
		}
	}
}

func collect(s Schema, path string, foreign map[string]string, out *[]string) {
	if _, ok := foreign[path]; ok {
		return
	}
	for name, p := range s.Properties {
		if path == "" && (name == "apiVersion" || name == "kind") {
			continue
		}
		child := name
		if path != "" {
			child = path + "." + name
		}
		*out = append(*out, child)
		collect(p, child, foreign, out)
	}
	if s.Items != nil {
		collect(*s.Items, path+"[]", foreign, out)
	}
}

func TestMissingCRDDirFails(t *testing.T) {
	if _, err := Generate(filepath.Join(t.TempDir(), "none"), apiDir); err == nil {
		t.Fatal("want an error for a directory without CRDs")
	}
}

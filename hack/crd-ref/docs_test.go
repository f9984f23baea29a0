package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// reasonConstants returns the string constants that are condition or decision reasons: named
// Reason* or of a type named *Reason, in the non-test Go files under dirs.
func reasonConstants(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					typeName := ""
					if id, ok := vs.Type.(*ast.Ident); ok {
						typeName = id.Name
					}
					for i, name := range vs.Names {
						if !strings.HasPrefix(name.Name, "Reason") && !strings.HasSuffix(typeName, "Reason") {
							continue
						}
						if i >= len(vs.Values) {
							continue
						}
						lit, ok := vs.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						v, _ := strconv.Unquote(lit.Value)
						out[v] = path + ": " + name.Name
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// docs/troubleshooting.md explains every condition type of the API and every reason the
// controllers set. A new reason without a line there fails here.
func TestTroubleshootingCoversEveryReason(t *testing.T) {
	doc, err := os.ReadFile("../../docs/troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	reasons := reasonConstants(t, "../../controllers", "../../staticippolicy")
	if len(reasons) < 20 {
		t.Fatalf("found only %d reason constants; has the code moved?", len(reasons))
	}
	var missing []string
	for v, where := range reasons {
		if !strings.Contains(text, "`"+v+"`") {
			missing = append(missing, v+" ("+where+")")
		}
	}
	types, err := conditionTypes("../../api/v1alpha1/conditions.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range types {
		if !strings.Contains(text, "### "+ct) {
			missing = append(missing, "condition type "+ct)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("docs/troubleshooting.md does not explain %s", m)
	}
}

func conditionTypes(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if strings.HasPrefix(name.Name, "Condition") && i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						out = append(out, v)
					}
				}
			}
		}
	}
	return out, nil
}

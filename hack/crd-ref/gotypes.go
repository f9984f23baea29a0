package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
)

// goField is one field of an API struct.
type goField struct {
	json   string // name in JSON; "" for an inline (embedded) field
	typ    ast.Expr
	inline bool
}

// scalarForeign are types from other packages that serialise as plain scalars and are
// documented like any other field (their schema is a string).
var scalarForeign = map[string]bool{
	"metav1.Duration": true, "metav1.Time": true, "metav1.MicroTime": true,
	"resource.Quantity": true, "intstr.IntOrString": true, "types.UID": true,
}

// foreignFields maps each field path (as the reference writes it, e.g. "spec.template.volumes")
// whose Go type is a Kubernetes type to that type's name ("corev1.Volume"), walking the API's
// structs from the root type kind.
func foreignFields(apiDir, kind string) (map[string]string, error) {
	structs, err := parseStructs(apiDir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(typeName, prefix string, depth int)
	walk = func(typeName, prefix string, depth int) {
		if depth > 32 {
			return
		}
		for _, f := range structs[typeName] {
			base, suffix := deref(f.typ)
			if f.inline {
				if id, ok := base.(*ast.Ident); ok {
					walk(id.Name, prefix, depth+1)
				}
				continue
			}
			path := prefix + f.json
			switch t := base.(type) {
			case *ast.Ident:
				if _, ok := structs[t.Name]; ok {
					walk(t.Name, path+suffix+".", depth+1)
				}
			case *ast.SelectorExpr:
				name := exprString(t)
				if !scalarForeign[name] {
					out[path] = name
				}
			}
		}
	}
	walk(kind, "", 0)
	return out, nil
}

// parseStructs reads the struct types of the package in dir (tests and generated code left out).
func parseStructs(dir string) (map[string][]goField, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		n := fi.Name()
		return !strings.HasSuffix(n, "_test.go") && !strings.HasPrefix(n, "zz_generated")
	}, 0)
	if err != nil {
		return nil, err
	}
	structs := map[string][]goField{}
	for _, pkg := range pkgs {
		for _, file := range pkg.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return false
				}
				structs[ts.Name.Name] = fieldsOf(st)
				return false
			})
		}
	}
	return structs, nil
}

func fieldsOf(st *ast.StructType) []goField {
	var fields []goField
	for _, f := range st.Fields.List {
		tag := ""
		if f.Tag != nil {
			tag = reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if len(f.Names) == 0 {
			// An embedded struct is inlined unless its tag names it (metav1.ObjectMeta is "metadata").
			if name == "" || strings.Contains(opts, "inline") {
				fields = append(fields, goField{typ: f.Type, inline: true})
			} else {
				fields = append(fields, goField{json: name, typ: f.Type})
			}
			continue
		}
		for _, n := range f.Names {
			if !n.IsExported() {
				continue
			}
			j := name
			if j == "" {
				j = n.Name
			}
			fields = append(fields, goField{json: j, typ: f.Type})
		}
	}
	return fields
}

// deref strips pointers, slices and map values; suffix is what they add to a field path
// ("[]" per slice, ".<key>" per map), as the schema walk writes items and additionalProperties.
func deref(e ast.Expr) (ast.Expr, string) {
	suffix := ""
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ArrayType:
			e = t.Elt
			suffix += "[]"
		case *ast.MapType:
			e = t.Value
			suffix += ".<key>"
		default:
			return e, suffix
		}
	}
}

func exprString(s *ast.SelectorExpr) string {
	if id, ok := s.X.(*ast.Ident); ok {
		return id.Name + "." + s.Sel.Name
	}
	return s.Sel.Name
}

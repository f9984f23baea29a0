package helmchart

import (
	"bytes"
	"fmt"
	"regexp"

	"sigs.k8s.io/yaml"
)

// Object is one rendered manifest: its kind, name and namespace, and its YAML for decoding
// into a typed object.
type Object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	YAML       []byte
}

// Objects are the manifests of one rendering, in order.
type Objects []Object

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// ParseObjects splits a multi-document YAML stream and reads each document's identity.
// Empty documents (comments only) are dropped.
func ParseObjects(stream []byte) (Objects, error) {
	var objs Objects
	for _, doc := range docSeparator.Split(string(stream), -1) {
		if len(bytes.TrimSpace([]byte(doc))) == 0 {
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			return nil, fmt.Errorf("%w in document:\n%s", err, doc)
		}
		if head.Kind == "" {
			continue
		}
		objs = append(objs, Object{APIVersion: head.APIVersion, Kind: head.Kind, Name: head.Metadata.Name,
			Namespace: head.Metadata.Namespace, YAML: []byte(doc)})
	}
	return objs, nil
}

// OfKind returns the objects of one kind.
func (o Objects) OfKind(kind string) Objects {
	var out Objects
	for _, obj := range o {
		if obj.Kind == kind {
			out = append(out, obj)
		}
	}
	return out
}

// Decode decodes the only object of a kind into v; it is an error when there is not exactly one.
func (o Objects) Decode(kind string, v any) error {
	of := o.OfKind(kind)
	if len(of) != 1 {
		return fmt.Errorf("want exactly one %s, got %d", kind, len(of))
	}
	return yaml.UnmarshalStrict(of[0].YAML, v)
}

package podspec

import (
	"encoding/json"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Defaults of StaticIPPoolSpec (the CRD defaults them too; objects built in Go may not be).
const (
	DefaultCNIAnnotationKey = "cni.projectcalico.org/ipAddrs"
	FormatJSONList          = "JSONList"
	FormatPlain             = "Plain"
)

// CNIAnnotation is the annotation through which the CNI gives the pod its StaticIP:
// JSONList gives ["10.0.0.5"] (Calico), Plain gives 10.0.0.5.
func CNIAnnotation(pool v1alpha1.StaticIPPoolSpec, address string) (key, value string) {
	key = pool.AnnotationKey
	if key == "" {
		key = DefaultCNIAnnotationKey
	}
	if pool.AnnotationFormat == FormatPlain {
		return key, address
	}
	b, _ := json.Marshal([]string{address}) // a []string always marshals
	return key, string(b)
}

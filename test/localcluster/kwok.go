package localcluster

import (
	"path/filepath"

	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// KwokNodeAnnotation marks the nodes kwok manages (--manage-nodes-with-annotation-selector).
const KwokNodeAnnotation = testkit.KwokNodeAnnotation

// StartKwok runs kwok in controller mode against the control plane with the demo's stages
// (hack/demo/kwok-stages.yaml): it makes the fake nodes Ready and plays pod status, giving NM
// pods their StaticIP from the CNI annotation. Non-static pods get addresses from a loopback
// CIDR and nodes report 127.0.0.1, so nothing in the demo points outside the machine.
func StartKwok(kwokBin, configDir, dir, kubeconfig string) (*Proc, error) {
	return StartProc(dir, "kwok", nil, kwokBin,
		"--kubeconfig="+kubeconfig,
		"--config="+filepath.Join(configDir, "kwok-stages.yaml"),
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector="+KwokNodeAnnotation+"=fake",
		"--node-ip=127.0.0.1",
		"--cidr=127.0.20.0/24",
		"--node-lease-duration-seconds=0")
}

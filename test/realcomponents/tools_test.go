package realcomponents

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every cached tool reports the version hack/tools.sh pins: a build that resolved another
// release, or one that was not stamped (kube-apiserver printing v0.0.0-master), fails here.
func TestToolsReportPinnedVersions(t *testing.T) {
	pinned := map[string]string{}
	out, err := exec.Command(filepath.Join("..", "..", "hack", "tools.sh"), "versions").Output()
	if err != nil {
		t.Fatalf("hack/tools.sh versions: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		tool, version, _ := strings.Cut(line, " ")
		pinned[tool] = version
	}
	kube := Tool(t, "kube")
	cases := []struct {
		name string
		cmd  []string
		want string
	}{
		{"kube-apiserver", []string{filepath.Join(kube, "kube-apiserver"), "--version"}, "Kubernetes " + pinned["kube"]},
		{"kube-scheduler", []string{filepath.Join(kube, "kube-scheduler"), "--version"}, "Kubernetes " + pinned["kube"]},
		{"kube-controller-manager", []string{filepath.Join(kube, "kube-controller-manager"), "--version"}, "Kubernetes " + pinned["kube"]},
		{"kubectl", []string{filepath.Join(kube, "kubectl"), "version", "--client"}, "Client Version: " + pinned["kube"]},
		{"kwok", []string{Tool(t, "kwok"), "--version"}, "kwok version " + pinned["kwok"] + " "},
		{"helm", []string{Tool(t, "helm"), "version", "--template", "{{.Version}}"}, pinned["helm"]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := exec.Command(c.cmd[0], c.cmd[1:]...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(c.cmd, " "), err, got)
			}
			if !strings.Contains(string(got), c.want) {
				t.Errorf("%s printed %q, want it to contain %q", strings.Join(c.cmd, " "), got, c.want)
			}
		})
	}
}

package helmchart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The chart's files/crds/ and files/role.yaml are copies made by hack/sync-chart.sh; an edit by hand
// (or a forgotten sync after `make manifests`) fails here. Needs no helm.
func TestChartCopiesMatchGenerated(t *testing.T) {
	root := repoRoot(t)
	bases := filepath.Join(root, "config", "crd", "bases")
	if m, _ := filepath.Glob(filepath.Join(bases, "*.yaml")); len(m) == 0 {
		t.Fatalf("no CRDs in %s", bases)
	}
	problems, err := DiffDirs(bases, filepath.Join(chartDir(t), "files", "crds"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := DiffFile(filepath.Join(root, "config", "rbac", "role.yaml"), filepath.Join(chartDir(t), "files", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if p != "" {
		problems = append(problems, p)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// The comparison itself, on a copy of the generated CRDs: identical passes; a hand edit, a
// missing file and a stray file are each reported.
func TestDiffDirsCatchesHandEdits(t *testing.T) {
	bases := filepath.Join(repoRoot(t), "config", "crd", "bases")
	cp := func(t *testing.T) string {
		dir := t.TempDir()
		m, _ := filepath.Glob(filepath.Join(bases, "*.yaml"))
		for _, f := range m {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	const crd = "elasticyarn.io_staticips.yaml"
	cases := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   string
	}{
		{"identical", func(*testing.T, string) {}, ""},
		{"hand edit", func(t *testing.T, dir string) {
			p := filepath.Join(dir, crd)
			b, _ := os.ReadFile(p)
			edited := strings.Replace(string(b), "maxLength: 253", "maxLength: 254", 1)
			if edited == string(b) {
				t.Fatal("test fixture: nothing to edit")
			}
			os.WriteFile(p, []byte(edited), 0o644)
		}, crd + " differs"},
		{"trailing whitespace", func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, crd), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(" ")
			f.Close()
		}, "differs"},
		{"missing", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, crd)) }, "missing"},
		{"stray", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "extra.yaml"), []byte("kind: X\n"), 0o644)
		}, "not generated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := cp(t)
			tc.mutate(t, dir)
			problems, err := DiffDirs(bases, dir)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(problems, "\n")
			if tc.want == "" && got != "" {
				t.Errorf("unexpected drift: %s", got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("drift %q not reported as %q", got, tc.want)
			}
		})
	}
}

package helmchart

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// DiffDirs compares the *.yaml files of want (the generated source) with those of got (the
// copy in the chart) byte for byte. It returns one line per problem: a file missing from got,
// an extra file in got, or a file whose bytes differ. No lines means no drift.
func DiffDirs(want, got string) ([]string, error) {
	wantFiles, err := yamlFiles(want)
	if err != nil {
		return nil, err
	}
	gotFiles, err := yamlFiles(got)
	if err != nil {
		return nil, err
	}
	var problems []string
	for name := range wantFiles {
		if _, ok := gotFiles[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s: missing from %s", name, got))
		}
	}
	for name := range gotFiles {
		if _, ok := wantFiles[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s: in %s but not generated in %s", name, got, want))
			continue
		}
		p, err := DiffFile(filepath.Join(want, name), filepath.Join(got, name))
		if err != nil {
			return nil, err
		}
		if p != "" {
			problems = append(problems, p)
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// DiffFile returns "" when the two files have the same bytes, or a line naming the first
// differing line otherwise.
func DiffFile(want, got string) (string, error) {
	a, err := os.ReadFile(want)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(got)
	if err != nil {
		return "", err
	}
	if bytes.Equal(a, b) {
		return "", nil
	}
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	line := 0
	for line < len(al) && line < len(bl) && bytes.Equal(al[line], bl[line]) {
		line++
	}
	return fmt.Sprintf("%s differs from %s from line %d (edited by hand? run hack/sync-chart.sh)", got, want, line+1), nil
}

func yamlFiles(dir string) (map[string]bool, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	files := make(map[string]bool, len(matches))
	for _, m := range matches {
		files[filepath.Base(m)] = true
	}
	return files, nil
}

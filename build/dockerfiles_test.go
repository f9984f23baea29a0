package build

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dockerignore reads the patterns of root/.dockerignore.
func dockerignore(t *testing.T, root string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var patterns []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			t.Fatalf(".dockerignore: exceptions (%s) are not supported by this test", line)
		}
		patterns = append(patterns, line)
	}
	return patterns
}

// ignored reports whether rel (slash-separated) is excluded: a pattern matches the path or one
// of its parent directories; "**/x" matches x at any depth.
func ignored(rel string, patterns []string) bool {
	parts := strings.Split(rel, "/")
	for _, p := range patterns {
		if rest, ok := strings.CutPrefix(p, "**/"); ok {
			for _, part := range parts {
				if m, _ := filepath.Match(rest, part); m {
					return true
				}
			}
			continue
		}
		for i := 1; i <= len(parts); i++ {
			if m, _ := filepath.Match(p, strings.Join(parts[:i], "/")); m {
				return true
			}
		}
	}
	return false
}

func TestIgnoredMatcher(t *testing.T) {
	patterns := []string{".git", "docs", "**/testdata", "**/*_test.go", "cover*.html"}
	for rel, want := range map[string]bool{
		".git/config": true, "docs/install.md": true, "guarder/worker/testdata/x": true,
		"api/v1alpha1/validation_test.go": true, "cover1.html": true,
		"cmd/operator/main.go": false, "go.mod": false, "docsy/x.go": false,
	} {
		if got := ignored(rel, patterns); got != want {
			t.Errorf("ignored(%q) = %v, want %v", rel, got, want)
		}
	}
}

var buildCmd = regexp.MustCompile(`go build -trimpath (?:-tags (\S+) )?-ldflags="-s -w" -o /out/(\S+) (\./cmd/\S+)`)

// Each Dockerfile's build step finds every package it needs in the context .dockerignore
// leaves (CGO off, as in the image), so a needed directory can never be ignored by mistake.
func TestDockerfilesBuildFromTheContext(t *testing.T) {
	root, _ := filepath.Abs("..")
	patterns := dockerignore(t, root)
	ctx := t.TempDir()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			return nil
		}
		if ignored(filepath.ToSlash(rel), patterns) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(ctx, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(ctx, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "go.sum", "cmd/operator/main.go"} {
		if _, err := os.Stat(filepath.Join(ctx, want)); err != nil {
			t.Fatalf("the build context lacks %s", want)
		}
	}
	for _, name := range []string{"operator", "guarder", "rm-emulator"} {
		t.Run(name, func(t *testing.T) {
			df, err := os.ReadFile(filepath.Join(root, "build", name+".Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			m := buildCmd.FindStringSubmatch(string(df))
			if m == nil || m[2] != name {
				t.Fatalf("no `go build ... -o /out/%s ./cmd/...` step", name)
			}
			// Resolving every package of the build (go list -deps) finds what .dockerignore
			// would drop; compiling is what every other test run already does.
			cmd := exec.Command("go", "list", "-deps", "-tags", m[1], "-f", "{{if .Error}}{{.Error}}{{end}}{{if .DepsErrors}}{{.DepsErrors}}{{end}}", m[3])
			cmd.Dir = ctx
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "" {
				t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
			}
		})
	}
}

// The users the images promise: nonroot for the operator and the emulator, root (with
// capabilities cut by the pod) for the guarder, which must say why.
func TestDockerfileUsers(t *testing.T) {
	root, _ := filepath.Abs("..")
	for name, user := range map[string]string{"operator": "65532:65532", "rm-emulator": "65532:65532", "guarder": "0:0"} {
		df, err := os.ReadFile(filepath.Join(root, "build", name+".Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(df)
		if !strings.Contains(s, "\nUSER "+user+"\n") {
			t.Errorf("%s: want USER %s", name, user)
		}
		for _, want := range []string{"FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build", "CGO_ENABLED=0", "target=/go/pkg/mod", "distroless/static"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: lacks %q", name, want)
			}
		}
	}
	operator, _ := os.ReadFile(filepath.Join(root, "build", "operator.Dockerfile"))
	if !strings.Contains(string(operator), "-tags timetzdata") {
		t.Error("operator.Dockerfile: the binary must embed the time zone database (schedule time zones)")
	}
	guarder, _ := os.ReadFile(filepath.Join(root, "build", "guarder.Dockerfile"))
	for _, want := range []string{"CAP_KILL", "CAP_SYS_PTRACE", "shareProcessNamespace: true", "drop: [ALL], add: [KILL]",
		"containerIdentification: ProcessInspection", "seccompProfile: RuntimeDefault"} {
		if !strings.Contains(string(guarder), want) {
			t.Errorf("guarder.Dockerfile does not explain %q", want)
		}
	}
}

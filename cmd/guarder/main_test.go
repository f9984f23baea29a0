package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/test/kdc"
)

func TestParseFlagsRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-weight-graceful", "-1"},
		{"-scan-interval", "0s"},
		{"-grace-period", "-1s"},
		{"-no-such-flag"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	o, err := parseFlags(nil)
	if err != nil || o.safetyNet || o.dryRun || o.procRoot != "/proc" || o.cgroupHierarchy != "/hadoop-yarn" {
		t.Fatalf("defaults %+v %v", o, err)
	}
}

func TestStartRefusesAnUnusableTokenFile(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]*string{
		"missing": nil, "empty": ptr(""), "whitespace-only": ptr(" \n\t\r\n "),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if content != nil {
				if err := os.WriteFile(path, []byte(*content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := runMain([]string{"-token-file", path, "-listen-address", "127.0.0.1:0"})
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("runMain: %v, want an error naming %s", err, path)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestStartRefusesAKeytabWithoutTheNodeManagerPrincipal: with -nm-principal the guarder checks
// at start-up that the mounted keytab holds it, and names what the keytab holds instead.
func TestStartRefusesAKeytabWithoutTheNodeManagerPrincipal(t *testing.T) {
	k := kdc.Start(t)
	k.AddPrincipal(t, "nm/nm1.example.test", "HTTP/nm1.example.test")
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("a-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(contract.EnvNodeManagerPrincipal, "HTTP/nm1.example.test@"+k.Realm)
	t.Setenv(contract.EnvNodeManagerKeytab, k.KeytabFile(t, "nm/nm1.example.test"))
	t.Setenv(contract.EnvKrb5Config, k.Krb5ConfPath())
	err := runMain([]string{"-token-file", token, "-listen-address", "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "NodeManager SPNEGO") || !strings.Contains(err.Error(), "nm/nm1.example.test@"+k.Realm) {
		t.Fatalf("runMain: %v", err)
	}
}

package yarnclient

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecoders feeds arbitrary bodies to every decoder: they may refuse, never panic, and what
// they accept must be internally consistent. Seeds: testdata/*.json and testdata/fuzz/FuzzDecoders.
func FuzzDecoders(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if nodes, err := DecodeNodes(body); err == nil {
			for _, n := range nodes {
				_ = n.State.Active()
			}
		}
		_, _ = DecodeNode(body)
		_, _ = DecodeClusterInfo(body)
		_, _ = DecodeResourceInfo(body)
		if labels, err := DecodeNodeLabels(body); err == nil {
			for _, l := range labels {
				if l.Name == "" {
					t.Fatalf("empty label name accepted from %q", body)
				}
			}
		}
		_, _ = DecodeApps(body)
		if re, ok := DecodeRemoteException(body); ok && re.Exception == "" && re.Message == "" && re.JavaClassName == "" {
			t.Fatalf("empty RemoteException accepted from %q", body)
		}
		_ = classify("Fuzz", response{status: 404, body: body}, true)
	})
}

// FuzzParseContainerID checks that every accepted id prints back to an id that parses to the
// same value (the canonical form may add zero padding).
func FuzzParseContainerID(f *testing.F) {
	for _, s := range []string{"container_e17_1410901177871_0001_01_000005", "container_1410901177871_0001_02_000001",
		"container_e1_1_1_1_1", "application_1410901177871_0001", "container_", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseContainerID(s)
		if err != nil {
			return
		}
		again, err := ParseContainerID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, id, id.String(), again, err)
		}
		if id.IsAM() != (id.Seq == 1) {
			t.Fatal("IsAM")
		}
		app, err := ParseApplicationID(id.ApplicationID().String())
		if err != nil || app != id.ApplicationID() {
			t.Fatalf("application id round trip: %+v %v", app, err)
		}
	})
}

package yarnclient_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

func TestResponseSizeIsCapped(t *testing.T) {
	big := `{"nodes":{"node":[` + strings.Repeat(`{"id":"h:1"},`, 100_000) + `{"id":"h:2"}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(big))
	}))
	defer srv.Close()
	c := newClient(t, yarnclient.Options{RMs: []string{srv.URL}, MaxResponseBytes: 64 << 10})
	_, err := c.ListNodes(context.Background())
	mustKind(t, err, yarnclient.ErrProtocol)
	ok := newClient(t, yarnclient.Options{RMs: []string{srv.URL}})
	nodes, err := ok.ListNodes(context.Background())
	if err != nil || len(nodes) != 100_001 {
		t.Fatalf("default cap should allow %d bytes: %v", len(big), err)
	}
}

// TestDefaultCapListsTenThousandNodes: the default cap must not break a big cluster's node
// listing (8 MiB did at about 4,800 NodeManagers in test/scale).
func TestDefaultCapListsTenThousandNodes(t *testing.T) {
	const n = tenThousand
	emu := emulatorWithNodes(t, n)
	nodes, err := newClient(t, yarnclient.Options{RMs: emu.URLs()}).ListNodes(context.Background())
	if err != nil || len(nodes) != n {
		t.Fatalf("listing %d nodes with the default cap: %d listed, %v", n, len(nodes), err)
	}
}

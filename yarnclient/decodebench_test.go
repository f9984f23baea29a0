package yarnclient_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// BenchmarkListTenThousandNodes: one RM listing of 10,000 NodeManagers, what each capacity
// cycle and nodemanager observation reads at that scale (the body is the emulator's).
//
//	go test ./yarnclient -run '^$' -bench ListTenThousandNodes -benchmem
func BenchmarkListTenThousandNodes(b *testing.B) {
	const n = tenThousand
	emu := emulatorWithNodes(b, n)
	resp, err := http.Get(emu.URL() + "/ws/v1/cluster/nodes")
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.ReportMetric(float64(len(body)), "body-bytes")
		for b.Loop() {
			if nodes, err := yarnclient.DecodeNodes(body); err != nil || len(nodes) != n {
				b.Fatal(len(nodes), err)
			}
		}
	})
	c := newClient(b, yarnclient.Options{RMs: emu.URLs()})
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if nodes, err := c.ListNodes(context.Background()); err != nil || len(nodes) != n {
				b.Fatal(len(nodes), err)
			}
		}
	})
}

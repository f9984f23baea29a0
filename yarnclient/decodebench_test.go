package yarnclient_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// BenchmarkListTenThousandNodes: one RM listing of 10,000 NodeManagers, what each capacity
// cycle and nodemanager observation reads at that scale (the body is the emulator's).
//
//	go test ./yarnclient -run '^$' -bench ListTenThousandNodes -benchmem
func BenchmarkListTenThousandNodes(b *testing.B) {
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		b.Fatal(err)
	}
	defer emu.Close()
	const n = 10_000
	for i := range n {
		spec := rmemulator.NodeSpec{Host: fmt.Sprintf("nm-%05d.example.com", i), RPCPort: 8041, HTTPPort: 8042,
			Capacity: rmemulator.Resource{VCores: 16, MemoryMB: 65536}}
		if _, err := emu.RegisterNode(spec); err != nil {
			b.Fatal(err)
		}
	}
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

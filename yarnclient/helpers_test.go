package yarnclient_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

const nodeA = "nm-a.example.test:8041"

// startEmulator starts an emulator on loopback with one RUNNING node (nodeA, 16 GiB / 8 vCores).
func startEmulator(t testing.TB, cfg rmemulator.Config) *rmemulator.Emulator {
	t.Helper()
	e := rmemulator.New(cfg)
	if _, err := e.RegisterNode(rmemulator.NodeSpec{Host: "nm-a.example.test", RPCPort: 8041, HTTPPort: 8042,
		Capacity: yarnclient.Resource{MemoryMB: 16384, VCores: 8}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// newClient builds a client with fast test timings; opts.RMs must be set.
func newClient(t testing.TB, opts yarnclient.Options) *yarnclient.Client {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = 3 * time.Second
	}
	if opts.InitialBackoff == 0 {
		opts.InitialBackoff = 5 * time.Millisecond
		opts.MaxBackoff = 20 * time.Millisecond
	}
	if opts.ResizePollInterval == 0 {
		opts.ResizePollInterval = 20 * time.Millisecond
	}
	if opts.Registerer == nil {
		opts.Registerer = prometheus.NewRegistry()
	}
	c, err := yarnclient.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func mustKind(t testing.TB, err error, want *yarnclient.Error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want.Kind)
	}
	if !errorsIs(err, want) {
		t.Fatalf("error %v (kind %v), want kind %v", err, yarnclient.KindOf(err), want.Kind)
	}
}

const tenThousand = 10_000

// emulatorWithNodes starts an RM emulator with n registered NodeManagers of 16 vcores and
// 64 GiB, stopped when the test ends.
func emulatorWithNodes(tb testing.TB, n int) *rmemulator.Emulator {
	tb.Helper()
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(emu.Close)
	for i := range n {
		spec := rmemulator.NodeSpec{Host: fmt.Sprintf("nm-%05d.example.com", i), RPCPort: 8041, HTTPPort: 8042,
			Capacity: rmemulator.Resource{VCores: 16, MemoryMB: 65536}}
		if _, err := emu.RegisterNode(spec); err != nil {
			tb.Fatal(err)
		}
	}
	return emu
}

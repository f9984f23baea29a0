package yarnclient_test

import (
	"context"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// The two SPNEGO benchmarks measure a GetNode against the emulator with SPNEGO on, served on
// the hadoop.auth cookie (one Kerberos exchange in total) versus a fresh SPNEGO token verified
// by the RM on every call (gokrb5 caches the service ticket, so this is the client token plus
// the server's AP-REQ verification, not a KDC round trip). Compare with:
//
//	go test ./yarnclient/ -run '^$' -bench 'SPNEGO' -benchtime 2s
func BenchmarkSPNEGOCookieReuse(b *testing.B) {
	benchmarkSPNEGO(b, false)
}

func BenchmarkSPNEGOFreshHandshake(b *testing.B) {
	benchmarkSPNEGO(b, true)
}

func benchmarkSPNEGO(b *testing.B, fresh bool) {
	s := startSecureRM(b, 0)
	c := s.client(b, s.localhost, func(o *yarnclient.KerberosOptions) { o.DisableCookieReuse = fresh })
	ctx := context.Background()
	if _, err := c.GetNode(ctx, nodeA); err != nil { // login and first ticket outside the timer
		b.Fatal(err)
	}
	before := s.emu.Handshakes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetNode(ctx, nodeA); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(s.emu.Handshakes()-before)/float64(b.N), "handshakes/op")
}

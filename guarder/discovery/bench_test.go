package discovery_test

import (
	"fmt"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
)

// BenchmarkScan500 scans a prepared /proc with 500 container trees (wrapper + JVM each) and
// 200 unrelated processes, i.e. a busy NM host.
func BenchmarkScan500(b *testing.B) {
	tree, err := fakeproc.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		id := fmt.Sprintf("container_e17_1410901177871_%04d_01_%06d", i/10+1, i%10+2)
		class := "org.apache.hadoop.mapred.YarnChild"
		if i%2 == 0 {
			class = "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend"
		}
		if err := tree.YarnContainer(id, 10000+2*i, uint64(1000+i), class, i%2 == 0); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 200; i++ {
		if err := tree.Write(fakeproc.Proc{PID: 2 + i, PPID: 1, PGID: 2 + i, Comm: "daemon", Argv: []string{"/usr/bin/daemon", "--flag"}}); err != nil {
			b.Fatal(err)
		}
	}
	s := discovery.Scanner{ProcRoot: tree.Root}
	b.ReportAllocs()
	for b.Loop() {
		cs, err := s.Scan()
		if err != nil || len(cs) != 500 {
			b.Fatalf("%d containers, %v", len(cs), err)
		}
	}
}

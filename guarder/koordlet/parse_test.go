package koordlet_test

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/koordlet"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
)

func TestParseRequest(t *testing.T) {
	for _, tc := range []struct {
		body    string
		want    selection.Release
		wantErr bool
	}{
		// cpu_evict.go: NewMilliQuantity(1500) marshals as "1500m"; memory 0.
		{`{"resources":{"kubernetes.io/batch-cpu":"1500m","kubernetes.io/batch-memory":"0"}}`, selection.Release{MilliCPU: 1500}, false},
		// memory_evict.go: bytes with BinarySI.
		{`{"resources":{"kubernetes.io/batch-cpu":"0","kubernetes.io/batch-memory":"3Gi"}}`, selection.Release{MemoryBytes: 3 << 30}, false},
		{`{"resources":{"kubernetes.io/batch-cpu":"2"}}`, selection.Release{MilliCPU: 2000}, false},
		{`{"containerID":"container_1_0001_01_000002","resources":{}}`, selection.Release{}, false},
		{`{}`, selection.Release{}, false},
		{`{"resources":{"kubernetes.io/batch-cpu":"-1"}}`, selection.Release{}, true},
		{`{"resources":{"kubernetes.io/batch-cpu":"lots"}}`, selection.Release{}, true},
		{`not json`, selection.Release{}, true},
	} {
		got, err := koordlet.ParseRequest([]byte(tc.body))
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v (error %v)", tc.body, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestAnswerIsReadAsKoordletReadsIt(t *testing.T) {
	a := koordlet.Answer(selection.Usage{VCores: 3, MemoryMB: 1536})
	cpu, mem := a[koordlet.BatchCPU], a[koordlet.BatchMemory]
	// cpu_evict.go adds MilliValue() of batch-cpu; memory_evict.go adds Value() of batch-memory.
	if cpu.MilliValue() != 3000 || mem.Value() != 1536<<20 {
		t.Fatalf("answer %v", a)
	}
	zero := koordlet.Answer(selection.Usage{})
	if _, ok := zero[koordlet.BatchCPU]; !ok {
		t.Fatal("a zero answer must still carry batch-cpu: koordlet logs a missing key as a failure")
	}
}

package policy

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestFromSpecDefaults(t *testing.T) {
	spec := &v1alpha1.ElasticNodeManagerSpec{Capacity: v1alpha1.CapacitySpec{
		Source:  v1alpha1.CapacityKoordinator,
		Dynamic: &v1alpha1.DynamicCapacity{PrometheusURL: "http://p:9090"},
	}}
	got, err := FromSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Statistic: v1alpha1.StatisticMean, QuantilePercent: 10, ScaleUpStepVCores: 3, ScaleDownTolerancePercent: 20,
		MemoryPolicy: v1alpha1.MemoryBatch, MBPerVCore: 4096, MemoryIncrementMB: 1024,
		StaleAfter: 3 * time.Minute, ShrinkToFloorAfter: 15 * time.Minute,
		Safety:         Safety{Enabled: true, CPUThresholdPercent: 90, ShedAfter: 5 * time.Minute},
		GuarderEnabled: true, GuarderGrace: 5 * time.Minute,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestFromSpecExplicit(t *testing.T) {
	off := false
	q := int32(25)
	spec := &v1alpha1.ElasticNodeManagerSpec{
		Capacity: v1alpha1.CapacitySpec{Dynamic: &v1alpha1.DynamicCapacity{
			Statistic: v1alpha1.StatisticQuantile, QuantilePercent: &q,
			ScaleUpStepVCores: 2, ScaleDownTolerancePercent: 0,
			Reserve: v1alpha1.Resources{VCores: 1, MemoryMB: 2048},
			Floor:   &v1alpha1.Resources{VCores: 2, MemoryMB: 4096}, Ceiling: &v1alpha1.Resources{VCores: 48, MemoryMB: 196608},
			Memory:     v1alpha1.MemoryPolicy{Policy: v1alpha1.MemoryBatch, MBPerVCore: 8192},
			Overcommit: []v1alpha1.OvercommitProfile{{Start: "22:00", End: "06:30", CPUPercent: 130}},
			StaleAfter: &metav1.Duration{Duration: time.Minute}, ShrinkToFloorAfter: &metav1.Duration{Duration: 10 * time.Minute},
		}},
		Guarder:    v1alpha1.GuarderSpec{Enabled: &off, GracePeriod: &metav1.Duration{Duration: time.Minute}},
		NodeSafety: v1alpha1.NodeSafetySpec{Enabled: &off, CPUThresholdPercent: 80, ShedAfter: &metav1.Duration{Duration: 2 * time.Minute}},
	}
	got, err := FromSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Statistic: v1alpha1.StatisticQuantile, QuantilePercent: 25, ScaleUpStepVCores: 2, ScaleDownTolerancePercent: 0,
		Reserve: Resources{1, 2048}, Floor: Resources{2, 4096}, Ceiling: Resources{48, 196608},
		MemoryPolicy: v1alpha1.MemoryBatch, MBPerVCore: 8192, MemoryIncrementMB: 1024,
		Overcommit: []Overcommit{{StartMinute: 22 * 60, EndMinute: 6*60 + 30, CPUPercent: 130, MemoryPercent: 100}},
		StaleAfter: time.Minute, ShrinkToFloorAfter: 10 * time.Minute,
		Safety:         Safety{Enabled: false, CPUThresholdPercent: 80, ShedAfter: 2 * time.Minute},
		GuarderEnabled: false, GuarderGrace: time.Minute,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestFromSpecErrors(t *testing.T) {
	if _, err := FromSpec(&v1alpha1.ElasticNodeManagerSpec{}); err == nil {
		t.Error("no dynamic capacity: want an error")
	}
	bad := &v1alpha1.ElasticNodeManagerSpec{Capacity: v1alpha1.CapacitySpec{Dynamic: &v1alpha1.DynamicCapacity{
		Overcommit: []v1alpha1.OvercommitProfile{{Start: "25:00", End: "01:00", CPUPercent: 120}},
	}}}
	if _, err := FromSpec(bad); err == nil {
		t.Error("bad time of day: want an error")
	}
}

func TestActiveOvercommit(t *testing.T) {
	day := []Overcommit{{StartMinute: 9 * 60, EndMinute: 18 * 60, CPUPercent: 80}}
	night := []Overcommit{{StartMinute: 22 * 60, EndMinute: 6 * 60, CPUPercent: 150}}
	at := func(h, m int) time.Time { return time.Date(2026, 1, 1, h, m, 0, 0, time.UTC) }
	cases := []struct {
		profiles []Overcommit
		t        time.Time
		active   bool
	}{
		{day, at(8, 59), false}, {day, at(9, 0), true}, {day, at(17, 59), true}, {day, at(18, 0), false},
		{night, at(21, 59), false}, {night, at(22, 0), true}, {night, at(0, 0), true}, {night, at(5, 59), true},
		{night, at(6, 0), false}, {nil, at(12, 0), false},
	}
	for _, c := range cases {
		if _, got := ActiveOvercommit(c.profiles, c.t); got != c.active {
			t.Errorf("%v at %s: active=%v, want %v", c.profiles, c.t.Format("15:04"), got, c.active)
		}
	}
}

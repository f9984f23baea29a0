package selection

import "testing"

func TestTargetAfterRelease(t *testing.T) {
	cands := []Candidate{
		{ID: "a", VCores: 4, MemoryMB: 8192},
		{ID: "b", VCores: 2, MemoryMB: 4096},
		{ID: "leaving", VCores: 8, MemoryMB: 16384, Leaving: true},
	}
	for _, tc := range []struct {
		name  string
		r     Release
		limit *Target
		want  Target
	}{
		{"nothing asked keeps current use", Release{}, nil, Target{6, 12288}},
		{"1.5 cores frees 2 vcores", Release{MilliCPU: 1500}, nil, Target{4, 12288}},
		{"exactly 2 cores", Release{MilliCPU: 2000}, nil, Target{4, 12288}},
		{"1 byte frees 1 MiB", Release{MemoryBytes: 1}, nil, Target{6, 12287}},
		{"3 GiB", Release{MemoryBytes: 3 << 30}, nil, Target{6, 9216}},
		{"more than runs", Release{MilliCPU: 100000, MemoryBytes: 1 << 40}, nil, Target{0, 0}},
		{"negative amounts ask for nothing", Release{MilliCPU: -5000, MemoryBytes: -1}, nil, Target{6, 12288}},
		{"a tighter target in force wins", Release{MilliCPU: 1000}, &Target{3, 20000}, Target{3, 12288}},
		{"a looser target in force does not loosen", Release{MilliCPU: 1000}, &Target{100, 100000}, Target{5, 12288}},
	} {
		if got := TargetAfterRelease(cands, tc.r, tc.limit); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

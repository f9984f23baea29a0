package selection

// Release is an amount to free relative to what runs now, as Koordinator's koordlet asks a node
// agent for it (POST /v1/killContainersByResource, package guarder/koordlet): CPU in
// milli-cores, memory in bytes. A YARN vcore counts as one core: the operator sizes
// NodeManagers in vcores from Koordinator's batch CPU in cores.
type Release struct {
	MilliCPU    int64
	MemoryBytes int64
}

const mebibyte = 1 << 20

// TargetAfterRelease is the absolute target that frees at least r from the containers that
// are not already leaving: their allocations minus r, rounded down (a partial vcore or MiB to
// free is a whole one), never below zero. A dimension r does not ask for keeps its current
// use. limit, when not nil, is a target already in force; the result never exceeds it, so a
// Koordinator request can only tighten what the operator asked for.
func TargetAfterRelease(cands []Candidate, r Release, limit *Target) Target {
	var used Usage
	for _, c := range cands {
		if !c.Leaving {
			used.VCores += c.VCores
			used.MemoryMB += c.MemoryMB
		}
	}
	t := Target{
		VCores:   floorDiv(used.VCores*1000-max(r.MilliCPU, 0), 1000),
		MemoryMB: floorDiv(used.MemoryMB*mebibyte-max(r.MemoryBytes, 0), mebibyte),
	}
	t.VCores, t.MemoryMB = max(t.VCores, 0), max(t.MemoryMB, 0)
	if limit != nil {
		t.VCores, t.MemoryMB = min(t.VCores, limit.VCores), min(t.MemoryMB, limit.MemoryMB)
	}
	return t
}

// floorDiv rounds toward negative infinity (Go's / truncates toward zero).
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

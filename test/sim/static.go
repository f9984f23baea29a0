package sim

// Static keeps every NM at a fixed size, 10 vcores / 30 GiB (iQIYI's first resident stage):
// the size the NM registers with. It never writes the RM and never sheds.
type Static struct{ Size Resources }

// NewStatic is the Factory for Static.
func NewStatic() Strategy { return Static{Size: Resources{VCores: 10, MemoryMB: 30 * 1024}} }

func (Static) Name() string { return "static" }

func (Static) Control(*Cluster) {}

// Configured is the size in the NM's yarn-site.
func (s Static) Configured() Resources { return s.Size }

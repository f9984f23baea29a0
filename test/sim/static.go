package sim

// Static keeps every NM at its configured size (Config.NMConfigured, 10 vcores / 30 GiB by
// default): iQIYI's first resident stage. It never writes the RM and never sheds.
type Static struct{}

// NewStatic is the Factory for Static.
func NewStatic() Strategy { return Static{} }

func (Static) Name() string { return "static" }

func (Static) Control(*Cluster) {}

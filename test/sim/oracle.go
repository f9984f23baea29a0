package sim

// Oracle is the reference every strategy is measured against: at every step it sizes each NM
// to the batch CPU and memory Koordinator offers on the node (the origin batch allocatable of
// the step, the figure harvest is divided by), it never sheds, and Koordinator never evicts
// its NMs. It bounds what a strategy that stays within the offer can harvest, up to the
// packing noise of the workload (a strategy going above the offer can harvest more). What it misses is what the workload and YARN's packing leave unused: the batch
// memory binding before the CPU, containers that do not fit the remainder, requests served
// elsewhere.
type Oracle struct{}

// NewOracle is the Factory for Oracle.
func NewOracle() Strategy { return Oracle{} }

// OracleName labels the oracle's row.
const OracleName = "oracle"

func (Oracle) Name() string { return OracleName }

func (Oracle) Control(c *Cluster) {
	syncRM(c, func(n *Node) Resources { return wholeUnits(n.Obs.OriginCPUCores, n.Obs.OriginMemoryMB) })
}

// EvictionFree: Koordinator's evictions are not carried out for the oracle.
func (Oracle) EvictionFree() bool { return true }

package plan

// NodeLabelInput is the pool's YARN partition (spec.yarn.nodeLabel) and whether the RM
// already has it.
type NodeLabelInput struct {
	Name      string
	Exclusive bool
	// Exists: the RM's cluster node labels include Name.
	Exists bool
}

// LabelDecision is what to write to the RM's node labels: create the pool's partition
// (Create, with its exclusivity) and then put the listed nodes into it.
type LabelDecision struct {
	Create    bool
	Name      string
	Exclusive bool
	// Relabel are the NodeIds to put into the partition.
	Relabel []string
}

// labelsFor starts the label decision: create the pool's partition first when the RM lacks
// it. Nothing is written when the pool has no partition or the RM's labels are unknown.
func labelsFor(in Input) LabelDecision {
	if in.NodeLabel == nil {
		return LabelDecision{}
	}
	return LabelDecision{Create: !in.NodeLabel.Exists, Name: in.NodeLabel.Name, Exclusive: in.NodeLabel.Exclusive}
}

// add puts a registered NodeManager the pool keeps into the pool's partition, when it is not
// there already (only differences are written). A leaving node is left as it is: a missing
// label keeps work off a node, it never overloads one.
func (l *LabelDecision) add(p Pod, d Decision) {
	if l.Name == "" || (d.Action != ActionKeep && d.Action != ActionCancelDrain) || !p.RM.Registered {
		return
	}
	if len(p.RM.Labels) == 1 && p.RM.Labels[0] == l.Name {
		return
	}
	l.Relabel = append(l.Relabel, p.NodeID)
}

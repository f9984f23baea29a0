package sim

import (
	"fmt"
	"io"
	"strings"
)

// tableHeader names the columns of WriteTable.
var tableHeader = []string{
	"strategy", "harvest", "harvest / oracle", "harvest, RAM-rich nodes", "useful vcore-h", "useful / oracle", "lost vcore-h (evicted)", "lost %", "NM evictions (cpu/mem/empty)",
	"graceful exits", "force-kills", "force/graceful", "RM writes /node-h", "above available vcore-h",
}

// WriteTable writes one Markdown row per strategy. When figs hold the oracle's row, each
// strategy's harvest and useful work are also given as a share of the oracle's.
func WriteTable(w io.Writer, figs []Figures) error {
	var oracle *Figures
	for i := range figs {
		if figs[i].Strategy == OracleName {
			oracle = &figs[i]
		}
	}
	ofOracle := func(v, o float64) string {
		if oracle == nil || o == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f %%", 100*v/o)
	}
	var b strings.Builder
	b.WriteString("| " + strings.Join(tableHeader, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat("---|", len(tableHeader)) + "\n")
	for _, f := range figs {
		var harvest, useful string
		if oracle != nil {
			harvest, useful = ofOracle(f.Harvest(), oracle.Harvest()), ofOracle(f.UsefulVCoreHours, oracle.UsefulVCoreHours)
		} else {
			harvest, useful = ofOracle(0, 0), ofOracle(0, 0)
		}
		fmt.Fprintf(&b, "| %s | %.1f %% | %s | %.1f %% | %.0f | %s | %.0f (%.0f) | %.1f %% | %d (%d/%d/%d) | %d | %d | %.2f %% | %.2f | %.0f |\n",
			f.Strategy, 100*f.Harvest(), harvest, 100*f.HarvestRAMRich(), f.UsefulVCoreHours, useful, f.LostVCoreHours, f.LostToEvictionsVCoreHours, 100*f.LostShare(),
			f.Evictions(), f.CPUEvictions, f.MemoryEvictions, f.EmptyEvictions, f.GracefulExits, f.ForceKills,
			100*f.ForcePerGraceful(), f.WritesPerNodeHour(), f.AboveAvailableVCoreHours)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

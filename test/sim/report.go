package sim

import (
	"fmt"
	"io"
	"strings"
)

// tableHeader names the columns of WriteTable.
var tableHeader = []string{
	"strategy", "harvest", "harvest, RAM-rich nodes", "useful vcore-h", "lost vcore-h (evicted)", "lost %", "NM evictions (cpu/mem/empty)",
	"graceful exits", "force-kills", "force/graceful", "RM writes /node-h", "above available vcore-h",
}

// WriteTable writes one Markdown row per strategy.
func WriteTable(w io.Writer, figs []Figures) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(tableHeader, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat("---|", len(tableHeader)) + "\n")
	for _, f := range figs {
		fmt.Fprintf(&b, "| %s | %.1f %% | %.1f %% | %.0f | %.0f (%.0f) | %.1f %% | %d (%d/%d/%d) | %d | %d | %.2f %% | %.2f | %.0f |\n",
			f.Strategy, 100*f.Harvest(), 100*f.HarvestRAMRich(), f.UsefulVCoreHours, f.LostVCoreHours, f.LostToEvictionsVCoreHours, 100*f.LostShare(),
			f.Evictions(), f.CPUEvictions, f.MemoryEvictions, f.EmptyEvictions, f.GracefulExits, f.ForceKills,
			100*f.ForcePerGraceful(), f.WritesPerNodeHour(), f.AboveAvailableVCoreHours)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

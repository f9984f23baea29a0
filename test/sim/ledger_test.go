package sim

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

// TestYARNShareAddedBackToBatchAllocatable: the Koordinator stand-in subtracts the operator's
// thirdPartyAllocations entry from the batch allocatable it publishes, as koord-manager does.
// Reading that figure as YARN's budget settles YARN near half of what Koordinator offers
// (harvest 0.46 with BatchAllocatable, 0.62 with BE suppress CPU, whose memory comes from the
// same series); with YARN's share added back the product harvests most of it.
func TestYARNShareAddedBackToBatchAllocatable(t *testing.T) {
	traces := trace.Synthetic(trace.DefaultSyntheticOptions(8, 1, 30*time.Second, 1))
	if err := trace.Common(traces); err != nil {
		t.Fatal(err)
	}
	allocatable := DefaultElasticOptions()
	allocatable.Name = "elastic-yarn-batch-allocatable"
	allocatable.Spec.Capacity.Dynamic.CPUMetric = v1alpha1.BatchAllocatable
	figs := Run(DefaultConfig(1), traces, []Factory{ElasticFactory(allocatable), ElasticFactory(DefaultElasticOptions())})
	for _, f := range figs {
		t.Logf("%s: harvest %.3f (used %.0f of %.0f available vcore-hours), evictions %d",
			f.Strategy, f.Harvest(), f.UsedVCoreHours, f.AvailableVCoreHours, f.Evictions())
		if f.Harvest() < 0.75 {
			t.Errorf("%s: harvest %.3f, want at least 0.75: YARN's own allocation was not added back", f.Strategy, f.Harvest())
		}
	}
}

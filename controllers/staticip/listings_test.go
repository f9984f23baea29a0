package staticip

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestListingIsDroppedOnceTooOld: a pool's remembered StaticIP listing (a copy of all of
// them) is freed once it is too old to be used, unless a newer listing replaced it.
func TestListingIsDroppedOnceTooOld(t *testing.T) {
	t.Parallel()
	p := &poolListing{pending: map[string]v1alpha1.StaticIPBinding{}}
	start := time.Now()
	p.mu.Lock()
	p.replace(make([]v1alpha1.StaticIP, 3), start)
	p.mu.Unlock()

	time.Sleep(listingMaxAge / 2)
	p.mu.Lock()
	if p.items == nil {
		t.Fatal("the listing was dropped while still current")
	}
	newer := start.Add(listingMaxAge / 2)
	p.replace(make([]v1alpha1.StaticIP, 3), newer)
	p.mu.Unlock()

	time.Sleep(listingMaxAge/2 + time.Second)
	p.mu.Lock()
	if p.items == nil {
		t.Fatal("the first listing's timer dropped the newer listing")
	}
	p.mu.Unlock()

	time.Sleep(listingMaxAge / 2)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.items != nil {
		t.Fatal("the listing is still held after listingMaxAge")
	}
}

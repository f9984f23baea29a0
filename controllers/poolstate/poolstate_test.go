package poolstate

import (
	"testing"

	"k8s.io/apimachinery/pkg/types"
)

var (
	blue  = types.NamespacedName{Namespace: "yarn", Name: "blue"}
	green = types.NamespacedName{Namespace: "yarn", Name: "green"}
)

type resource struct{ closed int }

func TestPoolLifetime(t *testing.T) {
	var ps Pools
	slot := NewSlot("test", func(*Pool) *resource { return &resource{} }, func(r *resource) { r.closed++ })

	first := slot.Get(ps.For(blue, "uid-1"))
	if slot.Get(ps.For(blue, "uid-1")) != first {
		t.Fatal("a pool's value is not kept between lookups")
	}
	other := slot.Get(ps.For(green, "uid-g"))
	if ps.Len() != 2 {
		t.Fatalf("%d pools held, want 2", ps.Len())
	}

	if !ps.Drop(blue) {
		t.Fatal("Drop of a held pool reported nothing dropped")
	}
	if ps.Drop(blue) {
		t.Error("a second Drop did something")
	}
	if first.closed != 1 {
		t.Errorf("the dropped pool's value was closed %d times, want 1", first.closed)
	}
	if other.closed != 0 || ps.Len() != 1 {
		t.Errorf("dropping one pool touched another (closed %d, %d pools held)", other.closed, ps.Len())
	}

	// A late reconcile of the dropped incarnation gets a detached pool: nothing is stored.
	late := ps.For(blue, "uid-1")
	if !late.Dropped() || slot.Get(late) == first || slot.Has(late) || ps.Len() != 1 {
		t.Error("a dropped incarnation was brought back")
	}

	// The same name created again is a new pool with nothing remembered.
	again := ps.For(blue, "uid-2")
	if again.Dropped() || slot.Has(again) || slot.Get(again) == first {
		t.Error("a re-created pool inherited the old incarnation's memory")
	}
}

func TestNewIncarnationDropsTheOldOne(t *testing.T) {
	var ps Pools
	slot := NewSlot("test", func(*Pool) *resource { return &resource{} }, func(r *resource) { r.closed++ })
	old := slot.Get(ps.For(blue, "uid-1"))
	// The pool was deleted and re-created while no controller saw NotFound.
	fresh := slot.Get(ps.For(blue, "uid-2"))
	if old == fresh || old.closed != 1 || ps.Len() != 1 {
		t.Errorf("old incarnation not dropped on sight of the new one (closed %d, %d pools)", old.closed, ps.Len())
	}
	if got := ps.For(blue, "uid-1"); !got.Dropped() {
		t.Error("the old incarnation came back after the new one replaced it")
	}
}

func TestClearDropsOneSlotOnly(t *testing.T) {
	var ps Pools
	a := NewSlot("a", func(*Pool) *resource { return &resource{} }, func(r *resource) { r.closed++ })
	b := NewSlot("b", func(*Pool) *resource { return &resource{} }, nil)
	p := ps.For(blue, "uid-1")
	ra, rb := a.Get(p), b.Get(p)
	a.Clear(p)
	if ra.closed != 1 || a.Has(p) || b.Get(p) != rb || p.Dropped() {
		t.Error("Clear did more or less than drop its own slot")
	}
}

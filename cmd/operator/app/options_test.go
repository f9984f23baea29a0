package app

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestWatchNamespacesFlag(t *testing.T) {
	cases := map[string][]string{
		"":                   nil,
		"yarn-a":             {"yarn-a"},
		" yarn-a , yarn-b ,": {"yarn-a", "yarn-b"},
	}
	for arg, want := range cases {
		o := DefaultOptions()
		fs := flag.NewFlagSet("operator", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o.BindFlags(fs)
		if err := fs.Parse([]string{"--watch-namespaces=" + arg}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(o.WatchNamespaces, want) {
			t.Errorf("--watch-namespaces=%q gave %q, want %q", arg, o.WatchNamespaces, want)
		}
		if got := namespaces(o.WatchNamespaces); len(got) != len(want) {
			t.Errorf("cache namespaces for %q: %v", arg, got)
		}
	}
	if namespaces(nil) != nil {
		t.Error("no namespaces must mean every namespace (a nil map), not none")
	}
}

package plan

import (
	"reflect"
	"testing"
	"time"
)

func TestDecideExcludeFile(t *testing.T) {
	pool := []string{"a", "b", "c"}
	done := func(hosts ...string) *ExcludeJob {
		return &ExcludeJob{Seq: 1, Hosts: hosts, Finished: true, FinishedAt: t0}
	}
	cases := []struct {
		name    string
		desired []string
		latest  *ExcludeJob
		now     time.Time
		create  bool
		exclude []string
		include []string
		retryAt time.Time
	}{
		{"never written, nothing to exclude", nil, nil, t0, false, nil, nil, time.Time{}},
		{"first drain", []string{"b", "a", "a"}, nil, t0, true, []string{"a", "b"}, []string{"c"}, time.Time{}},
		{"job running: wait", []string{"a"}, &ExcludeJob{Hosts: []string{"b"}}, t0, false, nil, nil, time.Time{}},
		{"file matches", []string{"a", "b"}, done("b", "a"), t0, false, nil, nil, time.Time{}},
		{"one more drain", []string{"a", "b", "c"}, done("a", "b"), t0, true, []string{"a", "b", "c"}, nil, time.Time{}},
		{"drain cancelled or pod gone: remove", []string{"a"}, done("a", "b"), t0, true, []string{"a"}, []string{"b", "c"}, time.Time{}},
		{"all gone: clean the file", nil, done("a"), t0, true, nil, []string{"a", "b", "c"}, time.Time{}},
		{"failed: wait before retrying", []string{"a"}, &ExcludeJob{Hosts: []string{"a"}, Finished: true, Failed: true, FinishedAt: t0}, t0.Add(time.Minute), false, nil, nil, t0.Add(ExcludeRetryAfter)},
		{"failed: retry", []string{"a"}, &ExcludeJob{Hosts: []string{"a"}, Finished: true, Failed: true, FinishedAt: t0}, t0.Add(ExcludeRetryAfter), true, []string{"a"}, []string{"b", "c"}, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := DecideExcludeFile(tc.desired, pool, tc.latest, tc.now)
			if d.Create != tc.create || !reflect.DeepEqual(d.Exclude, tc.exclude) || !reflect.DeepEqual(d.Include, tc.include) || !d.RetryAt.Equal(tc.retryAt) {
				t.Fatalf("got %+v", d)
			}
		})
	}
	var none *ExcludeJob
	if none.Excluded("a") || !done("a").Excluded("a") || done("a").Excluded("b") {
		t.Error("Excluded")
	}
}

package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeTargetRequest checks that the decoder never panics and that whatever it accepts
// respects every limit. Seeds live in testdata/fuzz/FuzzDecodeTargetRequest.
func FuzzDecodeTargetRequest(f *testing.F) {
	f.Add([]byte(`{"vcores":8,"memoryMB":16384,"reason":"resident shrink"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeTargetRequest(bytes.NewReader(body))
		if err != nil {
			return
		}
		if req.VCores < 0 || req.VCores > MaxVCores || req.MemoryMB < 0 || req.MemoryMB > MaxMemoryMB {
			t.Fatalf("accepted out-of-range resources: %+v", req)
		}
		if req.Reason == "" || utf8.RuneCountInString(req.Reason) > MaxReasonLength {
			t.Fatalf("accepted bad reason %q", req.Reason)
		}
		if req.DeadlineIn < 0 || req.DeadlineIn.Seconds() > MaxDeadlineSeconds {
			t.Fatalf("accepted bad deadline %v", req.DeadlineIn)
		}
		if len(req.AppPriorities) > MaxAppPriorities {
			t.Fatal("too many priorities accepted")
		}
		for app, p := range req.AppPriorities {
			if !applicationIDPattern.MatchString(app) || p < -MaxAppPriority || p > MaxAppPriority {
				t.Fatalf("accepted priority %q=%d", app, p)
			}
		}
		if !json.Valid(bytes.TrimSpace(body)) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
	})
}

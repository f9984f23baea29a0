package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

const goodToken = "s3cr3t-token-value"

var fixedNow = time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)

type fakeController struct {
	mu       sync.Mutex
	set      []worker.Target
	previews []worker.Target
	ready    bool
}

func (f *fakeController) SetTarget(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.set = append(f.set, t)
	return worker.PlanReport{Target: t, DecidedAt: fixedNow}, nil
}

func (f *fakeController) Preview(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previews = append(f.previews, t)
	return worker.PlanReport{Target: t, DecidedAt: fixedNow, DryRun: true}, nil
}

func (f *fakeController) LastPlan() (worker.PlanReport, bool) { return worker.PlanReport{}, false }
func (f *fakeController) CurrentTarget() (worker.Target, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.set) == 0 {
		return worker.Target{}, false
	}
	return f.set[len(f.set)-1], true
}
func (f *fakeController) Containers() []worker.ContainerView { return nil }
func (f *fakeController) Ready() bool                        { return f.ready }

func (f *fakeController) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.set) + len(f.previews)
}

type fixture struct {
	srv       *httptest.Server
	ctl       *fakeController
	tokenPath string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte(goodToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctl := &fakeController{ready: true}
	h := NewHandler(Config{Controller: ctl, Token: NewTokenFile(path), Registry: metrics.New().Registry,
		Log: testr.New(t), Now: func() time.Time { return fixedNow }})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, ctl: ctl, tokenPath: path}
}

func (f *fixture) do(t *testing.T, method, path, token, contentType string, body io.Reader) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("response is not JSON: %s", data)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	if msg == "" {
		return ""
	}
	return code
}

const validBody = `{"vcores": 8, "memoryMB": 16384, "reason": "resident shrink"}`

func TestAuthentication(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ name, header string }{
		{"no token", ""},
		{"wrong token", "Bearer nope"},
		{"prefix of the token", "Bearer " + goodToken[:5]},
		{"token plus suffix", "Bearer " + goodToken + "x"},
		{"basic scheme", "Basic " + goodToken},
		{"bearer without token", "Bearer "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, ep := range []struct{ method, path string }{{"POST", "/v1/target"}, {"GET", "/v1/plan"}, {"GET", "/v1/containers"}} {
				status, hdr, body := f.do(t, ep.method, ep.path, tc.header, "application/json", strings.NewReader(validBody))
				if status != http.StatusUnauthorized || errorCode(body) != "unauthorized" || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s: %d %v", ep.method, ep.path, status, body)
				}
			}
		})
	}
	if f.ctl.calls() != 0 {
		t.Fatal("an unauthenticated request reached the controller")
	}
	if status, _, _ := f.do(t, "POST", "/v1/target", "Bearer "+goodToken, "application/json", strings.NewReader(validBody)); status != http.StatusOK {
		t.Fatalf("good token: %d", status)
	}
	if status, _, _ := f.do(t, "POST", "/v1/target", "bearer "+goodToken, "", strings.NewReader(validBody)); status != http.StatusOK {
		t.Fatalf("scheme is case-insensitive: %d", status)
	}
}

func TestTokenRotationAndMissingFile(t *testing.T) {
	f := newFixture(t)
	// Rotate: write the new token with a different size so the change is seen even on
	// filesystems with coarse modification times.
	if err := os.WriteFile(f.tokenPath, []byte("rotated-token-with-another-length"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.do(t, "GET", "/v1/plan", "Bearer "+goodToken, "", nil); status != http.StatusUnauthorized {
		t.Fatalf("old token after rotation: %d", status)
	}
	if status, _, _ := f.do(t, "GET", "/v1/plan", "Bearer rotated-token-with-another-length", "", nil); status != http.StatusOK {
		t.Fatalf("new token: %d", status)
	}
	if err := os.WriteFile(f.tokenPath, []byte("  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.do(t, "GET", "/v1/plan", "Bearer ", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("empty token file must deny: %d", status)
	}
	if err := os.Remove(f.tokenPath); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.do(t, "GET", "/v1/plan", "Bearer rotated-token-with-another-length", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("missing token file must deny: %d", status)
	}
}

func TestHostileTargetRequests(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"malformed JSON", "application/json", `{"vcores": 8,`, 400, "invalid_request"},
		{"not an object", "application/json", `[1,2]`, 400, "invalid_request"},
		{"null", "application/json", `null`, 400, "invalid_request"},
		{"empty body", "application/json", ``, 400, "invalid_request"},
		{"unknown field", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","force":true}`, 400, "invalid_request"},
		{"field name in other case", "application/json", `{"VCORES":1,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"two JSON values", "application/json", validBody + validBody, 400, "invalid_request"},
		{"trailing garbage", "application/json", validBody + ` x`, 400, "invalid_request"},
		{"negative vcores", "application/json", `{"vcores":-1,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"absurd vcores", "application/json", `{"vcores":100000000,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"huge number", "application/json", `{"vcores":1e400,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"fractional vcores", "application/json", `{"vcores":1.5,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"string vcores", "application/json", `{"vcores":"8","memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"absurd memory", "application/json", `{"vcores":1,"memoryMB":99999999999,"reason":"r"}`, 400, "invalid_request"},
		{"missing memory", "application/json", `{"vcores":1,"reason":"r"}`, 400, "invalid_request"},
		{"null vcores", "application/json", `{"vcores":null,"memoryMB":1,"reason":"r"}`, 400, "invalid_request"},
		{"missing reason", "application/json", `{"vcores":1,"memoryMB":1}`, 400, "invalid_request"},
		{"reason too long", "application/json", `{"vcores":1,"memoryMB":1,"reason":"` + strings.Repeat("x", 257) + `"}`, 400, "invalid_request"},
		{"reason with newline", "application/json", `{"vcores":1,"memoryMB":1,"reason":"a\nFAKE LOG LINE"}`, 400, "invalid_request"},
		{"bad deadline string", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","deadline":"tomorrow"}`, 400, "invalid_request"},
		{"negative deadline seconds", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","deadline":-5}`, 400, "invalid_request"},
		{"deadline too far", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","deadline":"2027-01-01T00:00:00Z"}`, 400, "invalid_request"},
		{"deadline long past", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","deadline":"2026-11-20T00:00:00Z"}`, 400, "invalid_request"},
		{"dryRun not bool", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","dryRun":"yes"}`, 400, "invalid_request"},
		{"bad application id", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","appPriorities":{"app_1":3}}`, 400, "invalid_request"},
		{"priority out of range", "application/json", `{"vcores":1,"memoryMB":1,"reason":"r","appPriorities":{"application_1_0001":9999999999}}`, 400, "invalid_request"},
		{"wrong content type", "text/plain", validBody, 415, "unsupported_media_type"},
		{"oversized body", "application/json", `{"vcores":1,"memoryMB":1,"reason":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, 413, "body_too_large"},
		{"oversized trailing data", "application/json", validBody + strings.Repeat(" ", MaxBodyBytes), 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := f.do(t, "POST", "/v1/target", "Bearer "+goodToken, tt.contentType, strings.NewReader(tt.body))
			if status != tt.status || errorCode(body) != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
		})
	}
	if f.ctl.calls() != 0 {
		t.Fatalf("a rejected request reached the controller: %+v %+v", f.ctl.set, f.ctl.previews)
	}
}

func TestValidTargetAndDryRun(t *testing.T) {
	f := newFixture(t)
	body := `{"vcores": 6, "memoryMB": 12288, "deadline": 120, "reason": "resident shrink",
		"appPriorities": {"application_1410901177871_0001": 3}}`
	status, _, resp := f.do(t, "POST", "/v1/target", "Bearer "+goodToken, "application/json; charset=utf-8", strings.NewReader(body))
	if status != http.StatusOK || resp["accepted"] != true {
		t.Fatalf("%d %v", status, resp)
	}
	got := f.ctl.set[0]
	if got.VCores != 6 || got.MemoryMB != 12288 || !got.Deadline.Equal(fixedNow.Add(2*time.Minute)) ||
		got.AppPriorities["application_1410901177871_0001"] != 3 || got.Reason != "resident shrink" {
		t.Fatalf("target %+v", got)
	}
	status, _, resp = f.do(t, "POST", "/v1/target", "Bearer "+goodToken, "application/json",
		strings.NewReader(`{"vcores":1,"memoryMB":1,"reason":"what if","dryRun":true,"deadline":"2026-11-21T07:00:00Z"}`))
	if status != http.StatusOK || resp["accepted"] != false || resp["dryRun"] != true || len(f.ctl.previews) != 1 || len(f.ctl.set) != 1 {
		t.Fatalf("dry run: %d %v", status, resp)
	}
	status, _, resp = f.do(t, "GET", "/v1/plan", "Bearer "+goodToken, "", nil)
	if status != http.StatusOK || resp["target"] == nil {
		t.Fatalf("plan: %d %v", status, resp)
	}
	status, _, resp = f.do(t, "GET", "/v1/containers", "Bearer "+goodToken, "", nil)
	if cs, ok := resp["containers"].([]any); status != http.StatusOK || !ok || len(cs) != 0 {
		t.Fatalf("containers: %d %v", status, resp)
	}
}

func TestOpenEndpoints(t *testing.T) {
	f := newFixture(t)
	if status, _, _ := f.do(t, "GET", "/healthz", "", "", nil); status != 200 {
		t.Fatalf("healthz %d", status)
	}
	if status, _, _ := f.do(t, "GET", "/readyz", "", "", nil); status != 200 {
		t.Fatalf("readyz %d", status)
	}
	f.ctl.ready = false
	if status, _, _ := f.do(t, "GET", "/readyz", "", "", nil); status != 503 {
		t.Fatalf("readyz not ready %d", status)
	}
	resp, err := f.srv.Client().Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, name := range []string{"elastic_yarn_guarder_graceful_signals_total", "elastic_yarn_guarder_force_kills_total",
		"elastic_yarn_guarder_target_vcores", "elastic_yarn_guarder_target_memory_bytes", "elastic_yarn_guarder_decision_duration_seconds"} {
		if !strings.Contains(string(data), name) {
			t.Errorf("metrics lack %s", name)
		}
	}
	if status, _, body := f.do(t, "GET", "/nope", "", "", nil); status != 404 || errorCode(body) != "not_found" {
		t.Fatalf("unknown path %d %v", status, body)
	}
	if status, _, _ := f.do(t, "DELETE", "/v1/target", "Bearer "+goodToken, "", nil); status != 405 && status != 404 {
		t.Fatalf("wrong method %d", status)
	}
}

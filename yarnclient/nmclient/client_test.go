package nmclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestDecodeContainersShapes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"list", `{"containers":{"container":[{"id":"container_1_0001_01_000002","state":"RUNNING","totalMemoryNeededMB":2048,"totalVCoresNeeded":1},{"id":"container_1_0001_01_000003","state":"RUNNING"}]}}`, 2},
		{"one element as object", `{"containers":{"container":{"id":"container_1_0001_01_000002","state":"RUNNING","totalMemoryNeededMB":"2048","totalVCoresNeeded":"1"}}}`, 1},
		{"containers null", `{"containers":null}`, 0},
		{"containers empty string", `{"containers":""}`, 0},
		{"containers empty object", `{"containers":{}}`, 0},
		{"container null", `{"containers":{"container":null}}`, 0},
		{"missing key", `{}`, 0},
	}
	for _, tt := range tests {
		got, err := DecodeContainers([]byte(tt.body))
		if err != nil || len(got) != tt.want || got == nil {
			t.Errorf("%s: %v %v", tt.name, got, err)
		}
	}
	got, _ := DecodeContainers([]byte(tests[1].body))
	if got[0].TotalMemoryNeededMB != 2048 || got[0].TotalVCoresNeeded != 1 {
		t.Errorf("string numbers: %+v", got[0])
	}
	for _, bad := range []string{`not json`, `{"containers":{"container":[{"totalVCoresNeeded":"x"}]}}`, `{"containers":[1]}`} {
		if _, err := DecodeContainers([]byte(bad)); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
}

func TestClientContainers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws/v1/node/containers" || r.Header.Get("Accept") != "application/json" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"containers":{"container":{"id":"container_e17_1410901177871_0001_01_000005","state":"RUNNING","exitCode":-1000,"user":"yarn","totalMemoryNeededMB":4096,"totalVCoresNeeded":2,"executionType":"GUARANTEED"}}}`))
	}))
	defer srv.Close()
	got, err := New(srv.URL + "/").Containers(context.Background())
	if err != nil || len(got) != 1 || got[0].TotalVCoresNeeded != 2 || got[0].ExitCode != -1000 {
		t.Fatalf("%+v %v", got, err)
	}
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer bad.Close()
	if _, err := New(bad.URL).Containers(context.Background()); err == nil {
		t.Fatal("want error on 500")
	}
}

func TestTerminating(t *testing.T) {
	for state, want := range map[string]bool{"RUNNING": false, "NEW": false, "LOCALIZING": false, "SCHEDULED": false,
		"PAUSED": false, "KILLING": true, "DONE": true, "EXITED_WITH_FAILURE": true, "CONTAINER_RESOURCES_CLEANINGUP": true} {
		if got := (Container{State: state}).Terminating(); got != want {
			t.Errorf("%s: %v", state, got)
		}
	}
}

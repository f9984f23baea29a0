package prometheus

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestBackfilledSeriesAreQueryable(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := Start(t, []Series{{
		Name:   "koordlet_node_used_cpu_cores",
		Labels: map[string]string{"node": "n1"},
		Points: []Point{{t0.Add(-2 * time.Minute), 10}, {t0.Add(-time.Minute), 20}, {t0, 30}},
	}})
	q := url.Values{"query": {`avg_over_time(koordlet_node_used_cpu_cores[5m])`}, "time": {strconv.FormatInt(t0.Unix(), 10)}}
	resp, err := http.Get(s.URL + "/api/v1/query?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Data.Result) != 1 || body.Data.Result[0].Value[1] != "20" {
		t.Fatalf("avg over the backfilled window: %+v, want one series of 20", body.Data.Result)
	}
}

package promquery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	promapi "github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// TestDecodeVector: every answer shape of the HTTP API (prometheus web/api/v1/api.go
// response and its error codes) comes back as samples, the type of a non-vector, or a typed
// error; NaN and ±Inf survive, as they do through client_golang.
func TestDecodeVector(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		want    []nodeSample
		notA    string
		errType promv1.ErrorType
	}{
		{name: "vector", status: 200,
			body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"node":"a","job":"k"},"value":[1700000000.5,"1.25"]},{"metric":{"node":"b"},"value":[1700000000,"NaN"]},{"metric":{"node":"c"},"value":[1700000000,"+Inf"]},{"metric":{},"value":[1700000000,"-2"]}]}}`,
			want: []nodeSample{{"a", 1.25}, {"b", math.NaN()}, {"c", math.Inf(1)}, {"", -2}}},
		{name: "empty vector", status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[]}}`, want: []nodeSample{}},
		{name: "scalar", status: 200, body: `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1"]}}`, notA: "scalar"},
		{name: "bad query", status: 400, body: `{"status":"error","errorType":"bad_data","error":"parse error"}`, errType: promv1.ErrBadData},
		{name: "timeout", status: 503, body: `{"status":"error","errorType":"timeout","error":"query timed out"}`, errType: promv1.ErrTimeout},
		{name: "proxy error page", status: 502, body: `<html>bad gateway</html>`, errType: promv1.ErrServer},
		{name: "not JSON", status: 200, body: `<html>login</html>`, errType: promv1.ErrBadResponse},
		{name: "malformed sample", status: 200, body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"node":"a"},"value":[1700000000,"x"]}]}}`, errType: promv1.ErrBadResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := decodeVector(tc.status, []byte(tc.body))
			var notVector *notVectorError
			var apiErr *promv1.Error
			switch {
			case tc.notA != "":
				if !errors.As(err, &notVector) || notVector.resultType != tc.notA {
					t.Fatalf("err %v, want a %s answer", err, tc.notA)
				}
			case tc.errType != "":
				if !errors.As(err, &apiErr) || apiErr.Type != tc.errType {
					t.Fatalf("err %#v, want a %s error", err, tc.errType)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Fatalf("samples %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestVectorAPIPostsAndFallsBackToGet: the query goes as a form POST (a pool's node regexp
// does not fit in a URL), and as a GET when the server refuses POST (405), as client_golang
// does.
func TestVectorAPIPostsAndFallsBackToGet(t *testing.T) {
	for _, refusePost := range []bool{false, true} {
		var methods []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			methods = append(methods, r.Method)
			if refusePost && r.Method == http.MethodPost {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			if err := r.ParseForm(); err != nil || r.URL.Path != "/api/v1/query" || r.Form.Get("query") != `up{node=~"a|b"}` || r.Form.Get("time") != "1700000000.5" {
				body, _ := io.ReadAll(r.Body)
				t.Errorf("request %s %s form %v body %q", r.Method, r.URL, r.Form, body)
			}
			fmt.Fprint(w, `{"status":"success","warnings":["w"],"data":{"resultType":"vector","result":[{"metric":{"node":"a"},"value":[1,"3"]}]}}`)
		}))
		c, err := promapi.NewClient(promapi.Config{Address: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		got, warnings, err := vectorAPI{client: c}.Query(context.Background(), `up{node=~"a|b"}`, time.Unix(1700000000, 500000000))
		srv.Close()
		if err != nil || len(got) != 1 || got[0] != (nodeSample{"a", 3}) || len(warnings) != 1 {
			t.Fatalf("refusePost %v: %v %v %v", refusePost, got, warnings, err)
		}
		want := "POST"
		if refusePost {
			want = "POST GET"
		}
		if strings.Join(methods, " ") != want {
			t.Errorf("refusePost %v: methods %v, want %s", refusePost, methods, want)
		}
	}
}

// BenchmarkDecodeTenThousandNodes compares, in one run, the decode of one query's answer for
// 10,000 nodes by vectorAPI with client_golang's Query on the same body (the baseline):
//
//	go test ./controllers/capacity/promquery -run '^$' -bench DecodeTenThousandNodes -benchmem
func BenchmarkDecodeTenThousandNodes(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"status":"success","data":{"resultType":"vector","result":[`)
	for i := range 10000 {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"metric":{"node":"scale-node-%05d","namespace":"koordinator-system","pod":"koordlet-%05d"},"value":[1700000000.123,"%d.5"]}`, i, i, i%64)
	}
	body.WriteString(`]}}`)
	payload := body.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, payload) }))
	defer srv.Close()
	c, err := promapi.NewClient(promapi.Config{Address: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("client_golang", func(b *testing.B) {
		api := promv1.NewAPI(c)
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := api.Query(ctx, "q", time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vectorAPI", func(b *testing.B) {
		api := vectorAPI{client: c}
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := api.Query(ctx, "q", time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package promquery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	promapi "github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// vectorAPI is the Querier New builds: it asks Prometheus' /api/v1/query and decodes the
// answer straight into node and value, the only label and figure a cycle reads. client_golang's
// Query decodes each sample into a model.Sample with its label set (a map) first: at 10,000
// nodes the seven answers of one cycle were 42 MB in flight, 33 MB of it that decode (heap
// profile of test/scale), most of what a cycle added to the operator's memory.
//
// The request is what client_golang sends (api/prometheus/v1 httpAPI.Query and
// apiClientImpl.DoGetFallback): a form POST, falling back to GET when the server answers 405 or
// 501; a node regexp of 10,000 names does not fit in a URL, hence POST first. Errors are those
// of the HTTP API's envelope ({"status":"error","errorType":...,"error":...}) as *promv1.Error.
type vectorAPI struct {
	client promapi.Client
}

// Query implements Querier.
func (a vectorAPI) Query(ctx context.Context, query string, ts time.Time) ([]nodeSample, []string, error) {
	form := url.Values{"query": {query}}
	if !ts.IsZero() {
		form.Set("time", strconv.FormatFloat(float64(ts.UnixNano())/1e9, 'f', -1, 64))
	}
	u := a.client.URL("/api/v1/query", nil)
	resp, body, err := a.send(ctx, http.MethodPost, u, form)
	if err == nil && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented) {
		resp, body, err = a.send(ctx, http.MethodGet, u, form)
	}
	if err != nil {
		return nil, nil, err
	}
	return decodeVector(resp.StatusCode, body)
}

func (a vectorAPI) send(ctx context.Context, method string, u *url.URL, form url.Values) (*http.Response, []byte, error) {
	var req *http.Request
	var err error
	if method == http.MethodPost {
		req, err = http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		get := *u
		get.RawQuery = form.Encode()
		req, err = http.NewRequestWithContext(ctx, method, get.String(), nil)
	}
	if err != nil {
		return nil, nil, err
	}
	return a.client.Do(ctx, req)
}

// queryEnvelope is the HTTP API's answer to a query (prometheus web/api/v1 response).
type queryEnvelope struct {
	Status    string           `json:"status"`
	ErrorType promv1.ErrorType `json:"errorType"`
	Error     string           `json:"error"`
	Warnings  []string         `json:"warnings"`
	Data      struct {
		ResultType string `json:"resultType"`
		// Result is decoded once its type is known: a scalar or string has another shape.
		Result json.RawMessage `json:"result"`
	} `json:"data"`
}

// vectorResult is an instant vector's result, with only the label the cycle reads.
type vectorResult []struct {
	Metric struct {
		Node string `json:"node"`
	} `json:"metric"`
	Value sampleValue `json:"value"`
}

// decodeVector reads an answer: the samples of a vector, or the type of any other result.
func decodeVector(status int, body []byte) ([]nodeSample, []string, error) {
	var env queryEnvelope
	jsonErr := json.Unmarshal(body, &env)
	switch {
	case jsonErr == nil && env.Status == "error":
		return nil, env.Warnings, &promv1.Error{Type: env.ErrorType, Msg: env.Error}
	case status/100 != 2:
		return nil, env.Warnings, &promv1.Error{Type: promv1.ErrServer, Msg: fmt.Sprintf("server error: %d", status)}
	case jsonErr != nil:
		return nil, nil, &promv1.Error{Type: promv1.ErrBadResponse, Msg: jsonErr.Error()}
	case env.Status != "success":
		return nil, env.Warnings, &promv1.Error{Type: promv1.ErrBadResponse, Msg: fmt.Sprintf("unknown status %q", env.Status)}
	case env.Data.ResultType != "vector":
		return nil, env.Warnings, &notVectorError{env.Data.ResultType}
	}
	var result vectorResult
	if err := json.Unmarshal(env.Data.Result, &result); err != nil {
		return nil, env.Warnings, &promv1.Error{Type: promv1.ErrBadResponse, Msg: err.Error()}
	}
	samples := make([]nodeSample, len(result))
	for i, r := range result {
		samples[i] = nodeSample{node: r.Metric.Node, value: float64(r.Value)}
	}
	return samples, env.Warnings, nil
}

// notVectorError says a query answered with another type than an instant vector.
type notVectorError struct{ resultType string }

func (e *notVectorError) Error() string { return "got " + e.resultType + ", want a vector" }

// sampleValue is the value of an instant-vector sample, [<time>, "<value>"]: the value is a
// string so that NaN and ±Inf survive JSON (strconv.ParseFloat reads "NaN", "+Inf", "-Inf").
type sampleValue float64

func (v *sampleValue) UnmarshalJSON(b []byte) error {
	first, last := bytes.IndexByte(b, '"'), bytes.LastIndexByte(b, '"')
	if b[0] != '[' || first < 0 || last <= first {
		return fmt.Errorf("sample %s: want [time, \"value\"]", b)
	}
	f, err := strconv.ParseFloat(string(b[first+1:last]), 64)
	if err != nil {
		return fmt.Errorf("sample %s: %w", b, err)
	}
	*v = sampleValue(f)
	return nil
}

package guarderclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

func podFor(t *testing.T, srv *httptest.Server) *corev1.Pod {
	t.Helper()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "nm", Namespace: "ns"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: ContainerName, Ports: []corev1.ContainerPort{{Name: PortName, ContainerPort: int32(p)}}}}},
		Status:     corev1.PodStatus{PodIP: "127.0.0.1"},
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		want    contract.Info
		wantErr error
	}{
		{"current", 200, `{"version":"v0.2.0","contract":2,"capabilities":["signalPolicy","processTrees"],"settings":{"signalPolicy":"TermOnly"}}`,
			contract.Info{Version: "v0.2.0", Contract: 2, Capabilities: []string{"signalPolicy", "processTrees"}, Settings: map[string]string{"signalPolicy": "TermOnly"}}, nil},
		{"before the endpoint existed", 404, `{"error":{"code":"not_found","message":"no such endpoint"}}`, contract.Contract1Info, nil},
		{"failing", 503, `{"error":{"code":"not_ready","message":"x"}}`, contract.Info{}, ErrUnavailable},
		{"garbage", 200, `not json`, contract.Info{}, ErrUnavailable},
		{"claims contract 1 on the endpoint", 200, `{"version":"x","contract":1}`, contract.Info{}, ErrUnavailable},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/version" || r.Header.Get("Authorization") != "" {
				t.Errorf("%s: request %s with Authorization %q", tc.name, r.URL.Path, r.Header.Get("Authorization"))
			}
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		got, err := (&Client{}).Version(context.Background(), podFor(t, srv))
		srv.Close()
		if tc.wantErr != nil {
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s: error %v, want %v", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.Version != tc.want.Version || got.Contract != tc.want.Contract ||
			len(got.Capabilities) != len(tc.want.Capabilities) || got.Settings["signalPolicy"] != tc.want.Settings["signalPolicy"] {
			t.Errorf("%s: %+v %v, want %+v", tc.name, got, err, tc.want)
		}
	}
}

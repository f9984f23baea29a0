package guarderclient

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// recordingWorker stands in for the guarder's worker behind the real API handler, so the test
// sees exactly which targets got through authentication and validation.
type recordingWorker struct {
	mu      sync.Mutex
	targets []worker.Target
}

func (w *recordingWorker) SetTarget(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.targets = append(w.targets, t)
	return worker.PlanReport{Target: t}, nil
}
func (w *recordingWorker) Preview(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	return worker.PlanReport{Target: t, DryRun: true}, nil
}
func (w *recordingWorker) LastPlan() (worker.PlanReport, bool)  { return worker.PlanReport{}, false }
func (w *recordingWorker) CurrentTarget() (worker.Target, bool) { return worker.Target{}, false }
func (w *recordingWorker) Containers() []worker.ContainerView   { return nil }
func (w *recordingWorker) Ready() bool                          { return true }
func (w *recordingWorker) received() []worker.Target {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]worker.Target(nil), w.targets...)
}

type fixture struct {
	client *Client
	worker *recordingWorker
	pod    *corev1.Pod
}

func newFixture(t *testing.T, guarderToken, secretToken string) fixture {
	t.Helper()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(guarderToken), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &recordingWorker{}
	srv := httptest.NewServer(api.NewHandler(api.Config{
		Controller: w, Token: api.NewTokenFile(tokenFile), Registry: prometheus.NewRegistry(), Log: logr.Discard(),
	}))
	t.Cleanup(srv.Close)
	host, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	portNum, _ := strconv.Atoi(port)

	controller := true
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "nm-node1", Namespace: "yarn",
			OwnerReferences: []metav1.OwnerReference{{APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager",
				Name: "pool", UID: "pool-uid", Controller: &controller}}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "nodemanager"},
			{Name: ContainerName, Ports: []corev1.ContainerPort{{Name: PortName, ContainerPort: int32(portNum)}}},
		}},
		Status: corev1.PodStatus{PodIP: host},
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "pool-guarder-token", Namespace: "yarn"},
		Data:       map[string][]byte{TokenKey: []byte(secretToken + "\n")},
	}
	return fixture{
		client: &Client{Secrets: fake.NewClientBuilder().WithObjects(secret).Build()},
		worker: w,
		pod:    pod,
	}
}

func TestSetTargetReachesTheGuarder(t *testing.T) {
	f := newFixture(t, "s3cret-token", "s3cret-token")
	deadline := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	err := f.client.SetTarget(context.Background(), f.pod, Target{
		VCores: 6, MemoryMB: 12288, Deadline: deadline, Reason: "ShrinkBeyondTolerance",
		AppPriorities: map[string]int{"application_1410901177871_0001": 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := f.worker.received()
	if len(got) != 1 {
		t.Fatalf("guarder received %d targets, want 1", len(got))
	}
	g := got[0]
	if g.VCores != 6 || g.MemoryMB != 12288 || g.Reason != "ShrinkBeyondTolerance" || !g.Deadline.Equal(deadline) ||
		g.AppPriorities["application_1410901177871_0001"] != 3 {
		t.Errorf("guarder received %+v", g)
	}
}

func TestSetTargetFailures(t *testing.T) {
	cases := []struct {
		name         string
		secretToken  string
		target       Target
		mutatePod    func(*corev1.Pod)
		wantErr      error
		wantReceived int
	}{
		{name: "wrong token", secretToken: "stale-token", target: Target{VCores: 1}, wantErr: ErrUnauthorized},
		{name: "target beyond the guarder's limits", secretToken: "s3cret-token", target: Target{VCores: api.MaxVCores + 1}, wantErr: ErrRejected},
		{name: "pod without IP", secretToken: "s3cret-token", target: Target{VCores: 1},
			mutatePod: func(p *corev1.Pod) { p.Status.PodIP = "" }, wantErr: ErrNoEndpoint},
		{name: "pod without guarder", secretToken: "s3cret-token", target: Target{VCores: 1},
			mutatePod: func(p *corev1.Pod) { p.Spec.Containers = p.Spec.Containers[:1] }, wantErr: ErrNoEndpoint},
		{name: "guarder not listening", secretToken: "s3cret-token", target: Target{VCores: 1},
			mutatePod: func(p *corev1.Pod) { p.Spec.Containers[1].Ports[0].ContainerPort = 1 }, wantErr: ErrUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, "s3cret-token", c.secretToken)
			if c.mutatePod != nil {
				c.mutatePod(f.pod)
			}
			err := f.client.SetTarget(context.Background(), f.pod, c.target)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if n := len(f.worker.received()); n != c.wantReceived {
				t.Errorf("guarder acted on %d targets, want %d", n, c.wantReceived)
			}
			t.Logf("%s: %v", c.name, err)
		})
	}
}

func TestMissingTokenSecretIsAClearError(t *testing.T) {
	f := newFixture(t, "s3cret-token", "s3cret-token")
	f.pod.OwnerReferences[0].Name = "other-pool" // its Secret other-pool-guarder-token does not exist
	err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 1})
	if err == nil || len(f.worker.received()) != 0 {
		t.Fatalf("err = %v, received %d", err, len(f.worker.received()))
	}
	t.Log(err)
}

// TestTokenSecretComesFromThePoolNotThePod: a pod naming a Secret in its annotation gets
// nothing from it; a pod no pool controls gets no token at all.
func TestTokenSecretComesFromThePoolNotThePod(t *testing.T) {
	f := newFixture(t, "s3cret-token", "s3cret-token")
	f.pod.Annotations = map[string]string{v1alpha1.AnnotationGuarderTokenSecret: "someone-elses-secret"}
	if err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 1, Reason: "drain"}); err != nil {
		t.Fatalf("the pool's own Secret must be used whatever the annotation says: %v", err)
	}
	f.pod.OwnerReferences = nil
	err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 1, Reason: "drain"})
	if !errors.Is(err, ErrNoEndpoint) || len(f.worker.received()) != 1 {
		t.Fatalf("unowned pod: err = %v, received %d, want ErrNoEndpoint and nothing sent", err, len(f.worker.received()))
	}
}

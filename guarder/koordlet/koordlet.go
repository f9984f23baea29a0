// Package koordlet serves Koordinator's container-level eviction: with koordlet's
// --evict-by-copilot-agent switch, a CPU (BE satisfaction) or memory eviction that picks a
// YARN NodeManager pod does not evict the pod but asks a node agent to kill YARN containers
// worth a given amount. The guarder answers as that agent: the amount becomes a target (what
// runs now minus the amount), shed with the guarder's ranking, SIGPWR first and ApplicationMasters
// held back, and the answer says what the signalled containers were allocated.
//
// # The protocol, from public source
//
// koordinator-sh/koordinator, pull request #2464 (commit 977121b5339d77b060eda69b39794b4afc8bb57a,
// "Koordlet:support evict yarn container", not merged into the main branch at a7a1b76bbf81):
//   - docs/proposals/koordlet/20250528-support-evict-yarn-container.md: the design.
//   - pkg/koordlet/qosmanager/framework/config.go: flags --evict-by-copilot-agent (default
//     false), --evict-by-copilot-endpoint (default <var-run-root-dir>/yarn-copilot/
//     yarn-copilot.sock, i.e. /var/run/yarn-copilot/yarn-copilot.sock on the host),
//     --evict-by-copilot-pod-label-key / -value (default app.kubernetes.io/component=node-manager:
//     the pods treated as NodeManagers).
//   - pkg/koordlet/qosmanager/helpers/copilot/copilot_agent.go: HTTP over that unix socket,
//     POST /v1/killContainersByResource, body {"resources": ResourceList} (a marshalled []byte,
//     so resty labels it text/plain, not application/json), the answer decoded as a
//     ResourceList; any transport error yields nothing, and a non-2xx answer is not decoded.
//   - pkg/koordlet/qosmanager/plugins/cpuevict/cpu_evict.go (killAndEvictBEPodsRelease) sends
//     {"kubernetes.io/batch-cpu": NewMilliQuantity(milli-cores still to release),
//     "kubernetes.io/batch-memory": 0} and adds the answer's batch-cpu MilliValue() to what it
//     released; memoryevict/memory_evict.go (killAndEvictBEPods) sends batch-memory in bytes
//     (and batch-cpu 0) and adds the answer's batch-memory Value(). In this protocol batch-cpu
//     is therefore a quantity of cores ("1500m" = 1.5 cores), unlike Node allocatable where
//     batch-cpu counts milli-cores. An answer without the key counts as nothing released and
//     koordlet moves on to the next pod; NodeManager pods are sorted first and are never
//     evicted as pods while the switch is on.
//
// koordinator-sh/yarn-copilot at 658fb98837c5 (and every public branch and pull request
// there): pkg/copilot-agent/server/server.go registers the same route on the same socket
// (cmd/yarn-copilot-agent/options/options.go DefaultServerEndpoint) with the same KillRequest
// {containerID, resources}, but its handler KillContainerByResource is empty: the agent side
// ("kill the newest non-AM containers", from the proposal) is not public. This package follows
// the koordlet side.
package koordlet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// Path is the route koordlet posts to.
const Path = "/v1/killContainersByResource"

// DefaultSocket is koordlet's default --evict-by-copilot-endpoint on the host.
const DefaultSocket = contract.DefaultKoordletSocket

// Koordinator's batch resources as koordlet names them.
const (
	BatchCPU    = "kubernetes.io/batch-cpu"
	BatchMemory = "kubernetes.io/batch-memory"
)

// KillRequest is koordlet's request body. ContainerID is part of the shared type (yarn-copilot's
// /v1/killContainer uses it); koordlet leaves it empty here and the guarder ignores it.
type KillRequest struct {
	ContainerID string                       `json:"containerID,omitempty"`
	Resources   map[string]resource.Quantity `json:"resources,omitempty"`
}

// Releaser sheds at least an amount (worker.Worker).
type Releaser interface {
	Release(ctx context.Context, need selection.Release, reason string) (worker.PlanReport, error)
}

// Counter counts requests by outcome (metrics).
type Counter interface{ KoordletRequest(outcome string) }

// maxBody bounds the request body; a ResourceList with two entries is tiny.
const maxBody = 64 << 10

// ParseRequest turns koordlet's body into the amount to release. Negative or unparsable
// amounts are rejected; missing ones are zero.
func ParseRequest(body []byte) (selection.Release, error) {
	var kr KillRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&kr); err != nil {
		return selection.Release{}, fmt.Errorf("decoding the kill request: %w", err)
	}
	var r selection.Release
	if q, ok := kr.Resources[BatchCPU]; ok {
		r.MilliCPU = q.MilliValue()
	}
	if q, ok := kr.Resources[BatchMemory]; ok {
		r.MemoryBytes = q.Value()
	}
	if r.MilliCPU < 0 || r.MemoryBytes < 0 {
		return selection.Release{}, fmt.Errorf("negative amount to release: %d milli-cores, %d bytes", r.MilliCPU, r.MemoryBytes)
	}
	return r, nil
}

// Answer is the ResourceList koordlet reads back: what the containers signalled now were
// allocated, batch-cpu in cores (milli precision) and batch-memory in bytes. Both keys are
// always present, so koordlet counts a zero as "nothing released" rather than as a failure.
func Answer(released selection.Usage) map[string]resource.Quantity {
	return map[string]resource.Quantity{
		BatchCPU:    *resource.NewMilliQuantity(released.VCores*1000, resource.DecimalSI),
		BatchMemory: *resource.NewQuantity(released.MemoryMB<<20, resource.BinarySI),
	}
}

// Handler serves Path.
func Handler(r Releaser, counter Counter, log logr.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, func(w http.ResponseWriter, req *http.Request) {
		// koordlet sends its JSON as text/plain (a []byte body through resty): the content
		// type is not checked.
		body, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			count(counter, "invalid")
			http.Error(w, "request body unreadable or larger than 64 KiB", http.StatusBadRequest)
			return
		}
		need, err := ParseRequest(body)
		if err != nil {
			count(counter, "invalid")
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		reason := fmt.Sprintf("koordlet eviction: release %dm CPU, %d bytes memory", need.MilliCPU, need.MemoryBytes)
		report, err := r.Release(req.Context(), need, reason)
		if err == nil && report.Error != "" {
			err = errors.New(report.Error)
		}
		if err != nil {
			count(counter, "failed")
			log.Info("koordlet eviction request failed", "milliCpu", need.MilliCPU, "memoryBytes", need.MemoryBytes, "error", err.Error())
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
			return
		}
		count(counter, "served")
		log.Info("koordlet eviction request", "milliCpu", need.MilliCPU, "memoryBytes", need.MemoryBytes,
			"target", report.Target, "signalled", len(report.Actions), "heldAMs", len(report.HeldAMs), "released", report.Released)
		writeJSON(w, http.StatusOK, Answer(report.Released))
	})
	return mux
}

// Listen opens the unix socket at path (its directory is created; a stale socket is
// replaced) with mode 0600: the socket's file permissions are the only access control
// koordlet's protocol has, so only root (koordlet) may connect.
func Listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if st, err := os.Lstat(path); err == nil {
		if st.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		_ = ln.Close()
		return nil, err
	}
	return ln, nil
}

// NewServer is an http.Server for Handler with bounded timeouts (koordlet waits 30 s).
func NewServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
}

func count(c Counter, outcome string) {
	if c != nil {
		c.KoordletRequest(outcome)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

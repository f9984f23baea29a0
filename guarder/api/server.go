// Package api is the guarder's HTTP API. See guarder/doc.go for the contract.
package api

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// Controller is what the API drives (worker.Worker).
type Controller interface {
	SetTarget(ctx context.Context, t worker.Target) (worker.PlanReport, error)
	Preview(ctx context.Context, t worker.Target) (worker.PlanReport, error)
	LastPlan() (worker.PlanReport, bool)
	CurrentTarget() (worker.Target, bool)
	Containers() []worker.ContainerView
	Ready() bool
}

// Config configures the handler.
type Config struct {
	Controller Controller
	Token      *TokenFile
	Registry   *prometheus.Registry
	Log        logr.Logger
	Now        func() time.Time
	// MaxDeadlinePast tolerates small clock skew on absolute deadlines (default 5 minutes).
	MaxDeadlinePast time.Duration
	// Version is served at GET /version (package contract); nil serves contract.Current with
	// contract.Supported and no settings.
	Version *contract.Info
}

// TargetResponse is the body of a successful POST /v1/target.
type TargetResponse struct {
	Accepted bool              `json:"accepted"`
	DryRun   bool              `json:"dryRun"`
	Report   worker.PlanReport `json:"report"`
}

// PlanResponse is the body of GET /v1/plan.
type PlanResponse struct {
	Target *worker.Target     `json:"target"`
	Report *worker.PlanReport `json:"report"`
}

// ContainersResponse is the body of GET /v1/containers.
type ContainersResponse struct {
	Containers []worker.ContainerView `json:"containers"`
}

// NewHandler builds the mux. /healthz, /readyz, /version and /metrics are open (kubelet probes,
// the operator's version check and Prometheus carry no token, and they reveal nothing about
// containers); /v1/* needs the token.
func NewHandler(cfg Config) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxDeadlinePast == 0 {
		cfg.MaxDeadlinePast = 5 * time.Minute
	}
	h := &handler{cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", h.readyz)
	version := contract.Info{Version: contract.BuildVersion(), Contract: contract.Current, Capabilities: contract.Supported}
	if cfg.Version != nil {
		version = *cfg.Version
	}
	mux.HandleFunc("GET "+contract.VersionPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, version)
	})
	if cfg.Registry != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	}
	mux.Handle("POST /v1/target", h.auth(http.HandlerFunc(h.postTarget)))
	mux.Handle("GET /v1/plan", h.auth(http.HandlerFunc(h.getPlan)))
	mux.Handle("GET /v1/containers", h.auth(http.HandlerFunc(h.getContainers)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint")
	})
	return mux
}

// NewServer wraps the handler with timeouts that bound slow clients.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

type handler struct{ cfg Config }

func (h *handler) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.cfg.Token == nil || !h.cfg.Token.Authorized(r) {
			// Never log the header: it may hold a valid token for another service.
			h.cfg.Log.V(1).Info("rejected unauthenticated request", "path", r.URL.Path, "remote", r.RemoteAddr)
			writeError(w, http.StatusUnauthorized, "unauthorized", "a valid bearer token is required")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (h *handler) readyz(w http.ResponseWriter, _ *http.Request) {
	if h.cfg.Controller == nil || !h.cfg.Controller.Ready() {
		writeError(w, http.StatusServiceUnavailable, "not_ready", "no successful scan of /proc yet")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (h *handler) postTarget(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json")
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	req, err := DecodeTargetRequest(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", "request body exceeds 64 KiB")
			return
		}
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	now := h.cfg.Now()
	t := worker.Target{VCores: req.VCores, MemoryMB: req.MemoryMB, Reason: req.Reason, AppPriorities: req.AppPriorities, SetAt: now}
	switch {
	case !req.DeadlineAt.IsZero():
		if req.DeadlineAt.Before(now.Add(-h.cfg.MaxDeadlinePast)) || req.DeadlineAt.After(now.Add(MaxDeadlineSeconds*time.Second)) {
			writeError(w, http.StatusBadRequest, "invalid_request", "deadline must lie between 5 minutes ago and 7 days ahead")
			return
		}
		t.Deadline = req.DeadlineAt
	case req.DeadlineIn > 0:
		t.Deadline = now.Add(req.DeadlineIn)
	}
	var report worker.PlanReport
	if req.DryRun {
		report, err = h.cfg.Controller.Preview(r.Context(), t)
	} else {
		h.cfg.Log.Info("target received", "vcores", t.VCores, "memoryMB", t.MemoryMB, "deadline", t.Deadline, "reason", t.Reason)
		report, err = h.cfg.Controller.SetTarget(r.Context(), t)
	}
	if err != nil && !errors.Is(err, worker.ErrNoTarget) {
		// The target is stored; the cycle that failed is retried by the loop.
		writeError(w, http.StatusServiceUnavailable, "cycle_failed", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, TargetResponse{Accepted: !req.DryRun, DryRun: req.DryRun || report.DryRun, Report: report})
}

func (h *handler) getPlan(w http.ResponseWriter, _ *http.Request) {
	var resp PlanResponse
	if t, ok := h.cfg.Controller.CurrentTarget(); ok {
		resp.Target = &t
	}
	if p, ok := h.cfg.Controller.LastPlan(); ok {
		resp.Report = &p
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *handler) getContainers(w http.ResponseWriter, _ *http.Request) {
	cs := h.cfg.Controller.Containers()
	if cs == nil {
		cs = []worker.ContainerView{}
	}
	writeJSON(w, http.StatusOK, ContainersResponse{Containers: cs})
}

package rmemulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const clusterPrefix = "/ws/v1/cluster"

// ServeHTTP is one RM's filter chain: emulator endpoints (no auth, no HA), then authentication,
// then the standby redirect, then the REST resources.
func (rm *rmInstance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e := rm.e
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		e.serveAdmin(w, r)
		return
	}
	user, ok := e.authenticate(w, r)
	if !ok {
		return
	}
	isCluster := r.URL.Path == clusterPrefix || strings.HasPrefix(r.URL.Path, clusterPrefix+"/")
	if isCluster {
		e.faults.record(r.Method, r.URL.Path)
	}
	if d := e.faults.delayFor(rm.index); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if r.URL.Path == "/isActive" {
		if e.ActiveRM() == rm.index {
			_, _ = w.Write([]byte("I am Active!"))
			return
		}
		http.Error(w, "I am not Active!", http.StatusMethodNotAllowed)
		return
	}
	if !isCluster {
		writeNotFoundPage(w)
		return
	}
	if !isClusterInfo(r.URL.Path) && rm.redirectIfStandby(w, r) {
		return
	}
	if status, ok := e.faults.take(r.Method, r.URL.Path); ok {
		serverError(status, "injected failure").write(w)
		return
	}
	e.serveCluster(w, r, rm.index, user)
}

// isClusterInfo: RMWebAppFilter lets exactly /ws/v1/cluster/info through on a standby (so
// clients can read haState); every other path, /ws/v1/cluster itself included, redirects.
func isClusterInfo(p string) bool {
	return p == clusterPrefix+"/info"
}

// redirectIfStandby answers like RMWebAppFilter on a standby: 307 to the active RM's same path,
// or, with no active RM, 307 with only a Refresh header asking to retry later.
func (rm *rmInstance) redirectIfStandby(w http.ResponseWriter, r *http.Request) bool {
	e := rm.e
	e.mu.Lock()
	active := e.active
	target := ""
	if active >= 0 {
		target = e.rms[active].url
	}
	e.mu.Unlock()
	if active == rm.index {
		return false
	}
	w.Header().Set("Content-Type", "text/plain;charset=utf-8")
	if active < 0 || target == "" {
		next := 2
		w.Header().Set("Refresh", strconv.Itoa(next)+";url="+r.URL.Path+"?next.fresh.interval="+strconv.Itoa(next*2))
		w.WriteHeader(http.StatusTemporaryRedirect)
		_, _ = w.Write([]byte("This is standby RM. There is no active RM right now. Retrying in " + strconv.Itoa(next) + " seconds.\n"))
		return true
	}
	loc := target + r.URL.Path
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusTemporaryRedirect)
	_, _ = w.Write([]byte("This is standby RM. The redirect url is: " + loc + "\n"))
	return true
}

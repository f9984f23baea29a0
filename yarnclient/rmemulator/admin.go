package rmemulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

const adminPrefix = "/emulator/v1/"

// serveAdmin is the emulator-only API (no authentication, served by every RM whatever its HA
// state) for demos and tests in other processes:
//
//	POST   /emulator/v1/nodes                    NodeSpec JSON -> {"nodeId": ...}
//	POST   /emulator/v1/nodes/{id}/reregister    NM restart (capacity back to configured)
//	POST   /emulator/v1/nodes/{id}/state         {"state":"DECOMMISSIONING"}
//	DELETE /emulator/v1/nodes/{id}               NM shutdown (state SHUTDOWN)
//	GET    /emulator/v1/containers[?nodeId=]     {"containers":[ContainerView...]}
//	DELETE /emulator/v1/containers/{id}          kill a container
//	POST   /emulator/v1/apps                     AppSpec JSON -> {"id": ...}
//	POST   /emulator/v1/failover                 {"active": 1} (-1: none active)
//	POST   /emulator/v1/restart                  restart the active RM (re-registration gap)
//	POST   /emulator/v1/reregister               end the gap: every running NM registers again
//	POST   /emulator/v1/tick                     advance the workload to now
//	GET    /emulator/v1/stats                    {"handshakes": n, "activeRM": i}
func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, adminPrefix)
	parts := strings.Split(rest, "/")
	fail := func(status int, err error) { writeJSON(w, status, map[string]string{"error": err.Error()}) }
	switch {
	case rest == "nodes" && r.Method == http.MethodPost:
		var s NodeSpec
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		id, err := e.RegisterNode(s)
		if err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"nodeId": id})
	case parts[0] == "nodes" && len(parts) == 3 && parts[2] == "reregister" && r.Method == http.MethodPost:
		e.adminResult(w, e.ReRegisterNode(unescape(parts[1])))
	case parts[0] == "nodes" && len(parts) == 3 && parts[2] == "state" && r.Method == http.MethodPost:
		var b struct {
			State string `json:"state"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&b); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		e.adminResult(w, e.SetNodeState(unescape(parts[1]), yarnclient.NodeState(strings.ToUpper(b.State))))
	case parts[0] == "nodes" && len(parts) == 2 && r.Method == http.MethodDelete:
		e.adminResult(w, e.UnregisterNode(unescape(parts[1])))
	case rest == "containers" && r.Method == http.MethodGet:
		cs := e.Containers(r.URL.Query().Get("nodeId"))
		if cs == nil {
			cs = []ContainerView{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"containers": cs})
	case parts[0] == "containers" && len(parts) == 2 && r.Method == http.MethodDelete:
		e.adminResult(w, e.KillContainer(parts[1]))
	case rest == "apps" && r.Method == http.MethodPost:
		var s AppSpec
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&s); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": e.SubmitApp(s)})
	case rest == "failover" && r.Method == http.MethodPost:
		var b struct {
			Active int `json:"active"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&b); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		e.adminResult(w, e.Failover(b.Active))
	case rest == "restart" && r.Method == http.MethodPost:
		e.adminResult(w, e.RestartRM())
	case rest == "reregister" && r.Method == http.MethodPost:
		e.ReregisterAll()
		w.WriteHeader(http.StatusOK)
	case rest == "tick" && r.Method == http.MethodPost:
		e.Tick(e.cfg.Now())
		w.WriteHeader(http.StatusOK)
	case rest == "stats" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"handshakes": e.Handshakes(), "activeRM": e.ActiveRM()})
	default:
		writeNotFoundPage(w)
	}
}

func (e *Emulator) adminResult(w http.ResponseWriter, err error) {
	if err != nil {
		status := http.StatusBadRequest
		if err == errNoNode || strings.Contains(err.Error(), "no running container") {
			status = http.StatusNotFound
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	w.WriteHeader(http.StatusOK)
}

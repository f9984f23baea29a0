package rmemulator

import (
	"encoding/json"
	"net/http"
)

// remoteErr is an RM error as its RemoteException JSON body and status code.
type remoteErr struct {
	status    int
	exception string
	javaClass string
	message   string
}

func notFound(msg string) *remoteErr {
	return &remoteErr{status: http.StatusNotFound, exception: "NotFoundException",
		javaClass: "org.apache.hadoop.yarn.webapp.NotFoundException", message: msg}
}

func badRequest(msg string) *remoteErr {
	return &remoteErr{status: http.StatusBadRequest, exception: "BadRequestException",
		javaClass: "org.apache.hadoop.yarn.webapp.BadRequestException", message: msg}
}

func illegalArgument(msg string) *remoteErr {
	return &remoteErr{status: http.StatusBadRequest, exception: "IllegalArgumentException",
		javaClass: "java.lang.IllegalArgumentException", message: msg}
}

func authorization(msg string) *remoteErr {
	return &remoteErr{status: http.StatusUnauthorized, exception: "AuthorizationException",
		javaClass: "org.apache.hadoop.security.authorize.AuthorizationException", message: msg}
}

func serverError(status int, msg string) *remoteErr {
	return &remoteErr{status: status, exception: "WebApplicationException",
		javaClass: "javax.ws.rs.WebApplicationException", message: msg}
}

func (r *remoteErr) write(w http.ResponseWriter) {
	writeJSON(w, r.status, map[string]any{"RemoteException": map[string]string{
		"exception": r.exception, "message": r.message, "javaClassName": r.javaClass}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeNotFoundPage is the Jetty/Jersey answer for a path no resource matches: HTML, not JSON.
func writeNotFoundPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=iso-8859-1")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<html>\n<head><title>Error 404 Not Found</title></head>\n<body><h2>HTTP ERROR 404</h2>\n<p>Problem accessing the requested path. Reason:\n<pre>    Not Found</pre></p>\n</body>\n</html>\n"))
}

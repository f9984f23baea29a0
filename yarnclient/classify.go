package yarnclient

import (
	"net/http"
	"strings"
)

// response is what classification needs from an HTTP answer; a pure input.
type response struct {
	status int
	header http.Header
	body   []byte
}

// classify maps an RM answer to nil (success) or a typed error. It is pure: the table in
// classify_test.go is the RemoteException mapping of docs/reference/yarn-rm-rest.md.
//
// resizeEndpoint says the request went to POST /nodes/{id}/resource, where a plain (non-JSON)
// 404 means the endpoint does not exist (Hadoop < 3.3) rather than an unknown node.
func classify(op string, r response, resizeEndpoint bool) *Error {
	if r.status >= 200 && r.status < 300 {
		return nil
	}
	re, isRE := DecodeRemoteException(r.body)
	e := &Error{Op: op, StatusCode: r.status}
	if isRE {
		e.Exception, e.JavaClassName, e.Message = re.Exception, re.JavaClassName, re.Message
	}
	switch {
	case r.status == http.StatusTemporaryRedirect:
		e.Kind = KindStandby
		if r.header.Get("Location") == "" {
			e.Message = "standby resourcemanager and no active one (Refresh only)"
		} else {
			e.Message = "standby resourcemanager redirects to another one"
		}
	case r.status == http.StatusUnauthorized && isRE:
		e.Kind = KindUnauthorized
	case r.status == http.StatusUnauthorized:
		e.Kind = KindAuthentication
		e.Message = "SPNEGO required or rejected (401 " + headerSummary(r.header) + ")"
		if skewText(string(r.body)) {
			e.Kind = KindClockSkew
		}
	case r.status == http.StatusForbidden && isRE:
		e.Kind = KindForbidden
	case r.status == http.StatusForbidden:
		// Hadoop's AuthenticationFilter answers 403 with the GSSException text.
		e.Kind = KindAuthentication
		e.Message = firstLine(r.body)
		if skewText(string(r.body)) {
			e.Kind = KindClockSkew
		}
	case r.status == http.StatusNotFound && !isRE && resizeEndpoint:
		e.Kind = KindResizeUnsupported
		e.Message = "no node resource endpoint (plain 404): the RM predates Hadoop 3.3"
	case r.status == http.StatusNotFound:
		e.Kind = KindNotFound
		if !isRE {
			e.Message = "plain 404 page (unknown path)"
		}
	case r.status == http.StatusBadRequest:
		e.Kind = KindBadRequest
	case r.status >= 500 && isRE && resizeEndpoint && inactiveNodeResize(re.Exception, re.Message):
		e.Kind = KindInactiveNode
	case r.status >= 500:
		e.Kind = KindServer
		if !isRE {
			e.Message = firstLine(r.body)
		}
	default:
		e.Kind = KindProtocol
		e.Message = "unexpected status"
	}
	return e
}

// inactiveNodeResize recognises both answers to resizing a node the RM knows but holds
// inactive. RMWebServices.updateNodeResource wraps AdminService's YarnException in a
// YarnRuntimeException("Failed to update the node resource <nodeId>."):
//   - branch-3.3 (Jersey 1 GenericExceptionHandler): 500 with that outer message;
//   - trunk (Jersey 2 GenericExceptionHandler): 503 with the cause's message, "Resource update
//     get failed on all nodes due to change resource on an unrecognized node: <nodeId>".
//
// On the web path the only YarnException AdminService throws for a node that passed
// RMWebServices.getRMNode (active or inactive) is that one: the admin ACL check runs as the RM's
// own user and a standby's StandbyException is an IOException, which RMWebServices only logs.
func inactiveNodeResize(exception, message string) bool {
	if exception != "YarnRuntimeException" {
		return false
	}
	return strings.HasPrefix(message, "Failed to update the node resource ") ||
		strings.Contains(strings.ToLower(message), "unrecognized node")
}

func skewText(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "clock skew") || strings.Contains(s, "KRB_AP_ERR_SKEW")
}

// headerSummary names the auth scheme without echoing tokens.
func headerSummary(h http.Header) string {
	v := h.Get("WWW-Authenticate")
	if v == "" {
		return "no WWW-Authenticate"
	}
	scheme, _, _ := strings.Cut(v, " ")
	return "WWW-Authenticate: " + scheme
}

// firstLine keeps error messages short and free of HTML noise.
func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

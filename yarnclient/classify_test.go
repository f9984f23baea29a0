package yarnclient

import (
	"net/http"
	"testing"
)

// TestRemoteExceptionMapping is the status/RemoteException table of docs/reference/yarn-rm-rest.md.
func TestRemoteExceptionMapping(t *testing.T) {
	re := func(exception, msg string) []byte {
		return []byte(`{"RemoteException":{"exception":"` + exception + `","message":"` + msg + `","javaClassName":"x.` + exception + `"}}`)
	}
	negotiate := http.Header{"Www-Authenticate": {"Negotiate"}}
	html := []byte("<html><body>HTTP ERROR</body></html>")
	cases := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		resize bool
		want   Kind
	}{
		{"ok", 200, nil, nil, false, KindUnknown},
		{"bad request", 400, nil, re("BadRequestException", "Invalid NodeId"), false, KindBadRequest},
		{"illegal argument", 400, nil, re("IllegalArgumentException", "No enum constant"), false, KindBadRequest},
		{"ACL denial", 401, nil, re("AuthorizationException", "User x not authorized"), false, KindUnauthorized},
		{"SPNEGO required", 401, negotiate, html, false, KindAuthentication},
		{"forbidden exception", 403, nil, re("ForbiddenException", "no"), false, KindForbidden},
		{"GSS failure", 403, nil, []byte("GSSException: Defective token detected"), false, KindAuthentication},
		{"GSS clock skew", 403, nil, readFile(t, "gss-clock-skew-403.html"), false, KindClockSkew},
		{"not found exception", 404, nil, re("NotFoundException", "nodeId is not found"), false, KindNotFound},
		{"unknown node on resize", 404, nil, re("NotFoundException", "nodeId is not found"), true, KindNotFound},
		{"plain 404 on resize endpoint", 404, nil, readFile(t, "not-found-page.html"), true, KindResizeUnsupported},
		{"plain 404 elsewhere", 404, nil, readFile(t, "not-found-page.html"), false, KindNotFound},
		{"inactive node, branch-3.3 (Jersey 1)", 500, nil, readFile(t, "remote-exception-inactive-node-3.3.json"), true, KindInactiveNode},
		{"inactive node, trunk (Jersey 2)", 503, nil, readFile(t, "remote-exception-inactive-node-trunk.json"), true, KindInactiveNode},
		{"same 500 body outside the resize endpoint", 500, nil, readFile(t, "remote-exception-inactive-node-3.3.json"), false, KindServer},
		{"other YarnRuntimeException on resize", 500, nil, re("YarnRuntimeException", "Unable to retrieve apps"), true, KindServer},
		{"server error", 500, nil, re("WebApplicationException", "boom"), false, KindServer},
		{"jersey 2 server error", 503, nil, html, false, KindServer},
		{"standby redirect", 307, http.Header{"Location": {"http://rm2/ws/v1/cluster/nodes"}}, nil, false, KindStandby},
		{"standby without active", 307, http.Header{"Refresh": {"3;url=/ws/v1/cluster/nodes"}}, nil, false, KindStandby},
		{"unexpected", 418, nil, nil, false, KindProtocol},
	}
	for _, c := range cases {
		h := c.header
		if h == nil {
			h = http.Header{}
		}
		e := classify("Op", response{status: c.status, header: h, body: c.body}, c.resize)
		got := KindUnknown
		if e != nil {
			got = e.Kind
		}
		if got != c.want {
			t.Errorf("%s: kind %v, want %v (%v)", c.name, got, c.want, e)
		}
	}
}

func readFile(t *testing.T, name string) []byte { return readTestdata(t, name) }

func TestErrorKindsMatchWithErrorsIs(t *testing.T) {
	skew := &Error{Kind: KindClockSkew, Op: "GetNode", StatusCode: 403}
	if !isErr(skew, ErrClockSkew) || !isErr(skew, ErrAuthentication) || isErr(skew, ErrNotFound) {
		t.Fatal("clock skew must match ErrClockSkew and ErrAuthentication only")
	}
	acl := &Error{Kind: KindUnauthorized}
	if isErr(acl, ErrAuthentication) || !isErr(acl, ErrUnauthorized) {
		t.Fatal("ACL denial is not an authentication failure")
	}
	if KindOf(skew) != KindClockSkew || KindOf(nil) != KindUnknown {
		t.Fatal("KindOf")
	}
}

func isErr(err error, target *Error) bool { return err.(*Error).Is(target) }

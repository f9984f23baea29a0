package yarnclient

import (
	"errors"
	"fmt"
	"strconv"
)

// Kind says what went wrong, so callers branch on it with errors.Is(err, ErrNotFound) and
// friends instead of matching strings.
type Kind int

// Error kinds. The Kerberos kinds (ClockSkew, UnknownServerPrincipal, KeytabPrincipal) are
// also Authentication: errors.Is(err, ErrAuthentication) holds for them too.
const (
	KindUnknown Kind = iota
	// KindNotFound: 404 with a RemoteException (unknown node) or a plain 404 on a GET.
	KindNotFound
	// KindBadRequest: 400 (invalid state filter, nodeId without port, unknown label).
	KindBadRequest
	// KindUnauthorized: 401 with a RemoteException, an ACL denial (authenticated, not allowed).
	KindUnauthorized
	// KindForbidden: 403 with a RemoteException (ForbiddenException).
	KindForbidden
	// KindAuthentication: SPNEGO failed (401 Negotiate without a RemoteException, 403 GSS
	// failure) or the client could not obtain Kerberos credentials.
	KindAuthentication
	// KindClockSkew: KRB_AP_ERR_SKEW; fix the clocks (NTP), not the configuration.
	KindClockSkew
	// KindUnknownServerPrincipal: the KDC has no HTTP/<host> principal for the RM URL's host
	// (wrong SPN: an IP address, an alias or a short name instead of the RM's FQDN).
	KindUnknownServerPrincipal
	// KindKeytabPrincipal: the keytab holds no key for the configured client principal.
	KindKeytabPrincipal
	// KindStandby: the RM answered as a standby (307) and no active RM could be found.
	KindStandby
	// KindResizeUnsupported: the RM has no node resource endpoint (Hadoop < 3.3).
	KindResizeUnsupported
	// KindInactiveNode: a resize hit a node the RM knows but holds inactive (3.3: 500
	// "Failed to update the node resource <id>."; trunk: 503 "... unrecognized node: <id>").
	KindInactiveNode
	// KindResizeNotApplied: the resize was accepted but the node's total never reached the target.
	KindResizeNotApplied
	// KindServer: any other 5xx.
	KindServer
	// KindUnavailable: no RM could be reached (connection refused, timeout, reset).
	KindUnavailable
	// KindProtocol: a response we cannot use (too large, undecodable, unexpected status).
	KindProtocol
)

var kindNames = map[Kind]string{
	KindUnknown: "unknown", KindNotFound: "not found", KindBadRequest: "bad request",
	KindUnauthorized: "unauthorized (ACL)", KindForbidden: "forbidden",
	KindAuthentication: "authentication failed", KindClockSkew: "kerberos clock skew",
	KindUnknownServerPrincipal: "kerberos server principal unknown",
	KindKeytabPrincipal:        "principal not in keytab", KindStandby: "no active resourcemanager",
	KindResizeUnsupported: "node resize unsupported (Hadoop < 3.3)",
	KindInactiveNode:      "node inactive", KindResizeNotApplied: "node resize did not take",
	KindServer: "server error", KindUnavailable: "resourcemanager unavailable",
	KindProtocol: "protocol error",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// parent is the broader kind a kind also matches with errors.Is.
func (k Kind) parent() Kind {
	switch k {
	case KindClockSkew, KindUnknownServerPrincipal, KindKeytabPrincipal:
		return KindAuthentication
	}
	return KindUnknown
}

// Error is every error this package returns for a failed RM call.
type Error struct {
	Kind Kind
	// Op is the logical operation, e.g. "GetNode".
	Op string
	// StatusCode is the HTTP status, 0 when no response was received.
	StatusCode int
	// Exception and JavaClassName come from a RemoteException body, when there was one.
	Exception     string
	JavaClassName string
	// Message is the RM's message or our description; it never holds credentials.
	Message string
	// Err is the underlying cause (transport or Kerberos error), if any.
	Err error

	// notSent marks transport errors that happened before the request left the client
	// (connection refused), so even a POST may be tried on another RM.
	notSent bool
}

func (e *Error) Error() string {
	s := "yarn rm"
	if e.Op != "" {
		s += " " + e.Op
	}
	s += ": " + e.Kind.String()
	if e.StatusCode != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	if e.Exception != "" {
		s += ": " + e.Exception
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches the kind sentinels: errors.Is(err, ErrNotFound). A sub-kind also matches its
// parent (ErrClockSkew is an ErrAuthentication).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || !t.isSentinel() {
		return false
	}
	return t.Kind == e.Kind || (t.Kind != KindUnknown && t.Kind == e.Kind.parent())
}

func (e *Error) isSentinel() bool {
	return e.Op == "" && e.StatusCode == 0 && e.Exception == "" && e.Message == "" && e.Err == nil
}

// Sentinels for errors.Is.
var (
	ErrNotFound               = &Error{Kind: KindNotFound}
	ErrBadRequest             = &Error{Kind: KindBadRequest}
	ErrUnauthorized           = &Error{Kind: KindUnauthorized}
	ErrForbidden              = &Error{Kind: KindForbidden}
	ErrAuthentication         = &Error{Kind: KindAuthentication}
	ErrClockSkew              = &Error{Kind: KindClockSkew}
	ErrUnknownServerPrincipal = &Error{Kind: KindUnknownServerPrincipal}
	ErrKeytabPrincipal        = &Error{Kind: KindKeytabPrincipal}
	ErrStandby                = &Error{Kind: KindStandby}
	ErrResizeUnsupported      = &Error{Kind: KindResizeUnsupported}
	ErrInactiveNode           = &Error{Kind: KindInactiveNode}
	ErrResizeNotApplied       = &Error{Kind: KindResizeNotApplied}
	ErrServer                 = &Error{Kind: KindServer}
	ErrUnavailable            = &Error{Kind: KindUnavailable}
	ErrProtocol               = &Error{Kind: KindProtocol}
)

// KindOf returns the kind of err, KindUnknown when it is not one of ours.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

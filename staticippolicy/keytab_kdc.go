package staticippolicy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/krberror"
)

// ErrKDCUnavailable means ProveKeytab could not get an answer from the KDC (network,
// configuration): that says nothing about the keytab, so callers must not mark it invalid.
var ErrKDCUnavailable = errors.New("the KDC could not be asked")

// ProveKeytab performs an AS exchange with the KDC as principal (without realm, e.g.
// "nm/host.example.com") using the keytab, which proves the KDC still holds the keys the
// keytab has: a key rotated since the keytab was exported fails here with KDCRejected. It
// is I/O, kept apart from ValidateKeytab; run ValidateKeytab first.
//
// gokrb5's Login takes no context: when ctx ends first ProveKeytab returns ctx.Err() and the
// exchange finishes in the background, bounded by gokrb5's own network timeouts.
func ProveKeytab(ctx context.Context, data []byte, principal, realm string, conf *config.Config) (KeytabResult, error) {
	kt, ok := parseKeytab(data)
	if !ok {
		return KeytabResult{Reason: KeytabUnparsable, Message: fmt.Sprintf("the %d bytes are not a keytab file", len(data))}, nil
	}
	full := principal + "@" + realm
	cl := client.NewWithKeytab(principal, realm, kt, conf, client.DisablePAFXFAST(true))
	done := make(chan error, 1)
	go func() {
		defer cl.Destroy()
		done <- cl.Login()
	}()
	var err error
	select {
	case <-ctx.Done():
		return KeytabResult{}, ctx.Err()
	case err = <-done:
	}
	if err == nil {
		return KeytabResult{Reason: KeytabValidReason, Message: "the KDC issued a TGT for " + full + " with the keytab"}, nil
	}
	var kerr krberror.Krberror
	if errors.As(err, &kerr) && (kerr.RootCause == krberror.NetworkingError || kerr.RootCause == krberror.ConfigError) {
		return KeytabResult{}, fmt.Errorf("%w: AS exchange for %s: %s", ErrKDCUnavailable, full, bounded(err.Error()))
	}
	// gokrb5's error text names the KRB error code and the KDC's e-text, never keys.
	return KeytabResult{Reason: KDCRejected, Message: fmt.Sprintf("the KDC refused an AS exchange for %s with this keytab: %s",
		full, bounded(err.Error()))}, nil
}

// bounded keeps messages small enough for a condition.
func bounded(s string) string {
	const limit = 300
	s = strings.TrimSpace(s)
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}

package yarnclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"syscall"
	"time"
)

// step is what the call loop does after a failed exchange.
type step int

const (
	stepReturn   step = iota // give the error to the caller
	stepRetry                // same RM again after a backoff
	stepFailover             // forget the active RM, rediscover, try there
)

// outcome describes one failed exchange for decideNext; plain data so the rules are table-tested.
type outcome struct {
	kind Kind
	// notSent: the request never reached a server (connection refused), so even a POST may be
	// tried elsewhere.
	notSent    bool
	idempotent bool
	multiRM    bool
	retries    int // retries on the same RM so far
	failovers  int // failovers so far
}

type budget struct{ maxAttempts, maxFailovers int }

// decideNext encodes the retry policy: POSTs are never repeated once they may have reached an
// active RM; 307 (standby) and unreachable RMs move to another RM; 5xx are retried for GETs only.
func decideNext(o outcome, b budget) step {
	switch o.kind {
	case KindStandby:
		if o.failovers < b.maxFailovers {
			return stepFailover
		}
	case KindUnavailable:
		if !o.notSent && !o.idempotent {
			return stepReturn
		}
		if o.multiRM && o.failovers < b.maxFailovers {
			return stepFailover
		}
		if !o.multiRM && o.retries+1 < b.maxAttempts {
			return stepRetry
		}
	case KindServer:
		if o.idempotent && o.retries+1 < b.maxAttempts {
			return stepRetry
		}
	}
	return stepReturn
}

// backoff is exponential with full jitter, capped.
func backoff(initial, max time.Duration, n int) time.Duration {
	d := initial << min(n, 16)
	if d <= 0 || d > max {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// transportKind classifies an error without a response: was it ever sent, and the metric code.
func transportKind(err error) (notSent bool, code string) {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true, "connection_refused"
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true, "connection_refused"
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return false, "timeout"
	}
	return false, "connection_error"
}

package yarnclient

import (
	"testing"
	"time"
)

func TestDecideNext(t *testing.T) {
	b := budget{maxAttempts: 3, maxFailovers: 2}
	cases := []struct {
		name string
		o    outcome
		want step
	}{
		{"GET 5xx retried", outcome{kind: KindServer, idempotent: true}, stepRetry},
		{"GET 5xx budget spent", outcome{kind: KindServer, idempotent: true, retries: 2}, stepReturn},
		{"POST 5xx never retried", outcome{kind: KindServer}, stepReturn},
		{"standby fails over, even a POST", outcome{kind: KindStandby}, stepFailover},
		{"standby failovers spent", outcome{kind: KindStandby, failovers: 2}, stepReturn},
		{"refused POST fails over (never sent)", outcome{kind: KindUnavailable, notSent: true, multiRM: true}, stepFailover},
		{"refused single RM retried", outcome{kind: KindUnavailable, notSent: true}, stepRetry},
		{"timed-out POST not repeated", outcome{kind: KindUnavailable, multiRM: true}, stepReturn},
		{"timed-out GET fails over", outcome{kind: KindUnavailable, idempotent: true, multiRM: true}, stepFailover},
		{"not found returned", outcome{kind: KindNotFound, idempotent: true}, stepReturn},
		{"auth failure returned", outcome{kind: KindAuthentication, idempotent: true}, stepReturn},
	}
	for _, c := range cases {
		if got := decideNext(c.o, b); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBackoffIsBounded(t *testing.T) {
	for n := 0; n < 40; n++ {
		d := backoff(100*time.Millisecond, 2*time.Second, n)
		if d <= 0 || d > 2*time.Second {
			t.Fatalf("backoff(%d) = %v", n, d)
		}
	}
}

func TestCookieExpiryFromHadoopToken(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	j := newCookieJar(func() time.Time { return now })
	h := map[string][]string{"Set-Cookie": {`hadoop.auth="u=yarn&p=yarn@EXAMPLE.TEST&t=kerberos&e=1700000060000&s=abc="; Path=/; HttpOnly`}}
	j.update("rm1", h)
	if v, ok := j.get("rm1"); !ok || v != "u=yarn&p=yarn@EXAMPLE.TEST&t=kerberos&e=1700000060000&s=abc=" {
		t.Fatalf("cookie %q %v", v, ok)
	}
	now = now.Add(58 * time.Second) // within the 5 s safety margin of e=
	if _, ok := j.get("rm1"); ok {
		t.Fatal("cookie about to expire must not be used")
	}
	j.update("rm1", h)
	j.update("rm1", map[string][]string{"Set-Cookie": {`hadoop.auth=; Path=/; Max-Age=0`}})
	if _, ok := j.get("rm1"); ok {
		t.Fatal("cleared cookie still used")
	}
}

package guarderclient

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

type countingSecrets struct {
	client.Client
	gets atomic.Int64
}

func (c *countingSecrets) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	c.gets.Add(1)
	return c.Client.Get(ctx, key, obj, opts...)
}

// TestTokenIsReadOncePerTTL: targets for a whole pool cost one Secret read per TokenTTL.
func TestTokenIsReadOncePerTTL(t *testing.T) {
	f := newFixture(t, "s3cret-token", "s3cret-token")
	secrets := &countingSecrets{Client: f.client.Secrets.(client.Client)}
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	f.client.Secrets, f.client.Now = secrets, func() time.Time { return now }
	for range 5 {
		if err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 4, Reason: "Grow"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := secrets.gets.Load(); got != 1 {
		t.Errorf("%d Secret reads for 5 targets within TokenTTL, want 1", got)
	}
	now = now.Add(TokenTTL)
	if err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 4, Reason: "Grow"}); err != nil {
		t.Fatal(err)
	}
	if got := secrets.gets.Load(); got != 2 {
		t.Errorf("%d Secret reads after TokenTTL, want 2", got)
	}
}

// TestRefusedTokenIsReadAgain: a token the guarder refuses is not reused; once the Secret
// holds the guarder's token, the next target goes through without waiting out TokenTTL.
func TestRefusedTokenIsReadAgain(t *testing.T) {
	f := newFixture(t, "s3cret-token", "old-token")
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	f.client.Now = func() time.Time { return now }
	if err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 4, Reason: "Grow"}); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	c := f.client.Secrets.(client.Client)
	var s corev1.Secret
	if err := c.Get(context.Background(), client.ObjectKey{Namespace: "yarn", Name: "pool-guarder-token"}, &s); err != nil {
		t.Fatal(err)
	}
	s.Data[TokenKey] = []byte("s3cret-token")
	if err := c.Update(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	if err := f.client.SetTarget(context.Background(), f.pod, Target{VCores: 4, Reason: "Grow"}); err != nil {
		t.Fatalf("after the Secret was fixed: %v", err)
	}
}

package guarderclient

import (
	"sync"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// TokenTTL is how long a token read from its Secret is reused. Without it every target costs
// an apiserver GET: 5,000 at once when a pool of 5,000 NodeManagers starts or shrinks
// (test/scale). A token edited in the Secret reaches the guarders only when the kubelet
// refreshes their Secret volume (a minute or so), so 30 s of reuse adds little to that; a
// refused token is dropped at once.
const TokenTTL = 30 * time.Second

// tokenCache holds tokens by Secret.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[client.ObjectKey]cachedToken
}

type cachedToken struct {
	value string
	read  time.Time
}

func (c *tokenCache) get(key client.ObjectKey, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tokens[key]
	if !ok || now.Sub(t.read) >= TokenTTL || now.Before(t.read) {
		return "", false
	}
	return t.value, true
}

func (c *tokenCache) put(key client.ObjectKey, value string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil {
		c.tokens = map[client.ObjectKey]cachedToken{}
	}
	c.tokens[key] = cachedToken{value: value, read: now}
}

func (c *tokenCache) drop(key client.ObjectKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tokens, key)
}

package guarderclient

import (
	"sync"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// TokenTTL is how long a token read from its Secret is reused. Without it every target costs
// an apiserver GET: 5,000 at once when a pool of 5,000 NodeManagers starts or shrinks
// (test/scale). A token edited in the Secret reaches the guarders only when the kubelet
// refreshes their Secret volume (a minute or so), so 30 s of reuse adds little to that; a
// refused token is dropped at once.
const TokenTTL = 30 * time.Second

// cachedToken is a pool's guarder token as last read from its Secret. It lives in the pool's
// memory (poolstate), so it goes with the pool.
type cachedToken struct {
	mu    sync.Mutex
	value string
	read  time.Time
}

var poolTokens = poolstate.NewSlot("guarder token", func(*poolstate.Pool) *cachedToken { return &cachedToken{} }, nil)

func (c *cachedToken) get(now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.value == "" || now.Sub(c.read) >= TokenTTL || now.Before(c.read) {
		return "", false
	}
	return c.value, true
}

func (c *cachedToken) put(value string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.value, c.read = value, now
}

func (c *cachedToken) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.value = ""
}

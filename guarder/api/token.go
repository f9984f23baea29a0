package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// TokenFile holds the bearer token read from a mounted Secret file. The file is re-read when its
// modification time or size changes (Kubernetes swaps the ..data symlink on Secret updates;
// os.Stat follows it), so a rotated token is honoured without a restart.
type TokenFile struct {
	path string

	mu      sync.Mutex
	modTime time.Time
	size    int64
	digest  [sha256.Size]byte
	loaded  bool
}

// NewTokenFile returns a TokenFile for path; the file is read lazily.
func NewTokenFile(path string) *TokenFile { return &TokenFile{path: path} }

// ErrNoToken means the token file holds no usable token: missing, unreadable, empty, or only
// whitespace (the token is the file's content with surrounding whitespace trimmed).
var ErrNoToken = errors.New("no usable token")

// Check loads the token now and says why it is unusable. The guarder calls it at start-up: an
// API that denies every request would look healthy.
func (t *TokenFile) Check() error {
	_, err := t.load()
	return err
}

// current returns the digest of the current token, false if none is usable. An unreadable or
// empty file denies every request (fail closed).
func (t *TokenFile) current() ([sha256.Size]byte, bool) {
	d, err := t.load()
	return d, err == nil
}

func (t *TokenFile) load() ([sha256.Size]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, err := os.Stat(t.path)
	if err != nil {
		t.loaded = false
		return [sha256.Size]byte{}, fmt.Errorf("%w: token file %s: %v", ErrNoToken, t.path, err)
	}
	if !t.loaded || !st.ModTime().Equal(t.modTime) || st.Size() != t.size {
		data, err := os.ReadFile(t.path)
		if err != nil {
			t.loaded = false
			return [sha256.Size]byte{}, fmt.Errorf("%w: token file %s: %v", ErrNoToken, t.path, err)
		}
		tok := bytes.TrimSpace(data)
		if len(tok) == 0 {
			t.loaded = false
			return [sha256.Size]byte{}, fmt.Errorf("%w: token file %s is empty or holds only whitespace", ErrNoToken, t.path)
		}
		t.digest = sha256.Sum256(tok)
		t.modTime, t.size, t.loaded = st.ModTime(), st.Size(), true
	}
	return t.digest, nil
}

// Authorized checks "Authorization: Bearer <token>". Both sides are hashed first so the
// comparison is constant-time regardless of length.
func (t *TokenFile) Authorized(r *http.Request) bool {
	want, ok := t.current()
	if !ok {
		return false
	}
	h := r.Header.Get("Authorization")
	scheme, got, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || got == "" {
		return false
	}
	gotDigest := sha256.Sum256([]byte(strings.TrimSpace(got)))
	return subtle.ConstantTimeCompare(want[:], gotDigest[:]) == 1
}

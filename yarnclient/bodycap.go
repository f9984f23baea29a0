package yarnclient

import (
	"io"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// capBodies caps every response body at max bytes (Options.MaxResponseBytes): reading past
// it fails with resty.ErrResponseBodyTooLarge. It replaces resty's own limit, whose reader
// grows its buffer 512 bytes at a time: a 10,000-node listing allocated about five times
// its size to be read (BenchmarkListTenThousandNodes). Without a limit resty reads with
// io.ReadAll.
type capBodies struct {
	next http.RoundTripper
	max  int64
}

func (c capBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil && resp.Body != nil && c.max > 0 {
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: c.max}
	}
	return resp, err
}

// CloseIdleConnections passes on to the wrapped transport: http.Client.CloseIdleConnections
// reaches a transport only through this method, and Client.Close relies on it to end a
// dropped pool's connections (and their goroutines) at once.
func (c capBodies) CloseIdleConnections() {
	if ci, ok := c.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// cappedBody reads at most left more bytes of the body; one byte beyond is an error.
type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var probe [1]byte
		n, err := b.ReadCloser.Read(probe[:])
		if n > 0 {
			return 0, resty.ErrResponseBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

package guarderclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// Version reads GET /version of pod's guarder (no token: the endpoint is open, like /readyz).
// A guarder that answers 404 predates the endpoint and is contract 1 (contract.Contract1Info).
func (c *Client) Version(ctx context.Context, pod *corev1.Pod) (contract.Info, error) {
	endpoint, err := Endpoint(pod)
	if err != nil {
		return contract.Info{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+contract.VersionPath, nil)
	if err != nil {
		return contract.Info{}, err
	}
	start := time.Now()
	resp, err := c.httpClient().Do(req)
	if err != nil {
		observeVersion("error", start)
		return contract.Info{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	observeVersion(strconv.Itoa(resp.StatusCode), start)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return contract.Contract1Info, nil
	default:
		return contract.Info{}, fmt.Errorf("%w (%d): %s", ErrUnavailable, resp.StatusCode, errorMessage(resp.Body))
	}
	var info contract.Info
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&info); err != nil {
		return contract.Info{}, fmt.Errorf("%w: decoding %s: %v", ErrUnavailable, contract.VersionPath, err)
	}
	if info.Contract < 2 {
		return contract.Info{}, fmt.Errorf("%w: %s reports contract %d", ErrUnavailable, contract.VersionPath, info.Contract)
	}
	return info, nil
}

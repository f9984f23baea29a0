// Package guarderclient is the operator's client of the guarder sidecar API (guarder/api):
// POST /v1/target with the pool's bearer token, sent to the NodeManager pod's IP.
package guarderclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// ContainerName is the guarder sidecar's container name in NodeManager pods; its port named
// PortName is the API port.
const (
	ContainerName = "guarder"
	PortName      = "guarder-api"
	// TokenKey is the key of the bearer token in the token Secret.
	TokenKey = "token"
)

// Target is what the guarder is asked to bring the NodeManager under.
type Target struct {
	VCores   int64
	MemoryMB int64
	// Deadline by which what does not fit must be gone; zero lets the guarder's grace apply.
	Deadline time.Time
	Reason   string
	DryRun   bool
	// AppPriorities maps application ids to YARN priorities; lower priorities are shed first.
	AppPriorities map[string]int
}

type targetBody struct {
	VCores        int64          `json:"vcores"`
	MemoryMB      int64          `json:"memoryMB"`
	Deadline      string         `json:"deadline,omitempty"`
	Reason        string         `json:"reason,omitempty"`
	DryRun        bool           `json:"dryRun,omitempty"`
	AppPriorities map[string]int `json:"appPriorities,omitempty"`
}

// Client sends targets to guarders.
type Client struct {
	// Secrets reads token Secrets; use the manager's APIReader so the operator needs only
	// "get" on Secrets, never a cluster-wide list/watch cache of them.
	Secrets client.Reader
	// HTTP is the transport; nil uses the package's shared client (sharedHTTP: one
	// transport, no keep-alive, a 10 s timeout).
	HTTP *http.Client
	// Now is the clock of the token cache; nil means time.Now.
	Now func() time.Time
	// Pools is the operator's per-pool memory, where each pool's token is kept; nil gives
	// the client its own.
	Pools *poolstate.Pools

	poolsOnce sync.Once
}

// Errors callers branch on.
var (
	// ErrNoEndpoint: the pod has no IP yet or no guarder container port.
	ErrNoEndpoint = errors.New("guarder endpoint not known")
	// ErrUnauthorized: the guarder refused the token (rotated Secret not yet mounted?).
	ErrUnauthorized = errors.New("guarder refused the token")
	// ErrRejected: the guarder refused the request as invalid; retrying will not help.
	ErrRejected = errors.New("guarder rejected the target")
	// ErrUnavailable: the guarder did not answer or failed the cycle; retry later.
	ErrUnavailable = errors.New("guarder unavailable")
)

// SetTarget sends t to the guarder of pod.
func (c *Client) SetTarget(ctx context.Context, pod *corev1.Pod, t Target) error {
	endpoint, err := Endpoint(pod)
	if err != nil {
		return err
	}
	cached, token, err := c.token(ctx, pod)
	if err != nil {
		return err
	}
	body := targetBody{VCores: t.VCores, MemoryMB: t.MemoryMB, Reason: t.Reason, DryRun: t.DryRun, AppPriorities: t.AppPriorities}
	if !t.Deadline.IsZero() {
		body.Deadline = t.Deadline.UTC().Format(time.RFC3339)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/v1/target", bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)

	start := time.Now()
	resp, err := c.httpClient().Do(req)
	if err != nil {
		observe("error", start)
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	observe(strconv.Itoa(resp.StatusCode), start)
	msg := errorMessage(resp.Body)
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusUnauthorized:
		cached.drop() // edited since it was read? the next call reads it again
		return ErrUnauthorized
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return fmt.Errorf("%w (%d): %s", ErrRejected, resp.StatusCode, msg)
	default:
		return fmt.Errorf("%w (%d): %s", ErrUnavailable, resp.StatusCode, msg)
	}
}

// Endpoint is the base URL of pod's guarder API.
func Endpoint(pod *corev1.Pod) (string, error) {
	if pod.Status.PodIP == "" {
		return "", fmt.Errorf("%w: pod %s/%s has no IP yet", ErrNoEndpoint, pod.Namespace, pod.Name)
	}
	for _, ctr := range pod.Spec.Containers {
		if ctr.Name != ContainerName {
			continue
		}
		for _, p := range ctr.Ports {
			if p.Name == PortName {
				return "http://" + net.JoinHostPort(pod.Status.PodIP, strconv.Itoa(int(p.ContainerPort))), nil
			}
		}
	}
	return "", fmt.Errorf("%w: pod %s/%s has no %q container with a %q port", ErrNoEndpoint, pod.Namespace, pod.Name, ContainerName, PortName)
}

// token returns the pool's bearer token and its cache entry, read at most every TokenTTL.
// The Secret is derived from the pool that controls the pod, never from anything the pod
// says about itself: a pod's annotations are written by whoever created it, and a pod that
// named another Secret would receive that Secret's token.
func (c *Client) token(ctx context.Context, pod *corev1.Pod) (*cachedToken, string, error) {
	owner := metav1.GetControllerOf(pod)
	if owner == nil || owner.Kind != "ElasticNodeManager" || owner.APIVersion != v1alpha1.GroupVersion.String() {
		return nil, "", fmt.Errorf("%w: pod %s/%s is not controlled by an ElasticNodeManager", ErrNoEndpoint, pod.Namespace, pod.Name)
	}
	cached := poolTokens.Get(c.pools().For(types.NamespacedName{Namespace: pod.Namespace, Name: owner.Name}, owner.UID))
	name := podspec.GuarderTokenSecretName(&v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Name: owner.Name, Namespace: pod.Namespace}})
	now := c.now()
	if token, ok := cached.get(now); ok {
		return cached, token, nil
	}
	var secret corev1.Secret
	if err := c.Secrets.Get(ctx, client.ObjectKey{Namespace: pod.Namespace, Name: name}, &secret); err != nil {
		return nil, "", fmt.Errorf("reading guarder token Secret %s/%s: %w", pod.Namespace, name, err)
	}
	token := bytes.TrimSpace(secret.Data[TokenKey])
	if len(token) == 0 {
		return nil, "", fmt.Errorf("guarder token Secret %s/%s has no %q key", pod.Namespace, name, TokenKey)
	}
	cached.put(string(token), now)
	return cached, string(token), nil
}

func (c *Client) pools() *poolstate.Pools {
	c.poolsOnce.Do(func() {
		if c.Pools == nil {
			c.Pools = &poolstate.Pools{}
		}
	})
	return c.Pools
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return sharedHTTP
}

// errorMessage extracts the guarder's {"error":{"message":...}}, bounded.
func errorMessage(body io.Reader) string {
	raw, _ := io.ReadAll(io.LimitReader(body, 4096))
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return e.Error.Code + ": " + e.Error.Message
	}
	return string(raw)
}

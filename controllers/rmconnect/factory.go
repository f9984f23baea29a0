// Package rmconnect gives each ElasticNodeManager one ResourceManager client, built from its
// spec (RM addresses, Kerberos principal, keytab Secret, krb5.conf ConfigMap) and rebuilt only
// when one of those changes, so the hadoop.auth cookie and the active-RM choice are kept
// across reconciles of every controller.
package rmconnect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// Factory hands out RM clients per pool. A pool's client lives in the pool's memory
// (poolstate): it is closed, with its Kerberos session, when the pool is dropped.
type Factory struct {
	// Pools is the operator's per-pool memory; nil gives the factory its own.
	Pools *poolstate.Pools
	// Reader reads the keytab Secret and krb5.conf ConfigMap. Use the manager's APIReader:
	// the operator then needs only "get" on Secrets, not a cache of every Secret.
	Reader client.Reader
	// Registerer receives the RM client metrics (shared by all clients).
	Registerer prometheus.Registerer
	Logger     logr.Logger
	// Configure adjusts the options before a client is built (timeouts, tests' transports).
	Configure func(*yarnclient.Options)

	poolsOnce sync.Once
}

// ErrPoolGone: the pool was dropped (deleted) while a reconcile still worked on it.
var ErrPoolGone = errors.New("the pool is gone")

// rmClient is a pool's client and the fingerprint of the inputs it was built from.
type rmClient struct {
	mu          sync.Mutex
	closed      bool
	fingerprint string
	client      *yarnclient.Client
}

var rmClients = poolstate.NewSlot("rm client", func(*poolstate.Pool) *rmClient { return &rmClient{} }, func(c *rmClient) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.client != nil {
		c.client.Close()
		c.client = nil
	}
})

func (f *Factory) pools() *poolstate.Pools {
	f.poolsOnce.Do(func() {
		if f.Pools == nil {
			f.Pools = &poolstate.Pools{}
		}
	})
	return f.Pools
}

// For returns the client of enm's cluster, built anew only when its inputs changed.
func (f *Factory) For(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (*yarnclient.Client, error) {
	opts, fingerprint, err := f.options(ctx, enm)
	if err != nil {
		return nil, err
	}
	pool := f.pools().Of(enm)
	c := rmClients.Get(pool)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil && c.fingerprint == fingerprint {
		return c.client, nil
	}
	if c.closed || pool.Dropped() {
		// A client built now would be kept by nothing and never closed.
		return nil, fmt.Errorf("RM client for %s: %w", pool.Name(), ErrPoolGone)
	}
	built, err := yarnclient.New(opts)
	if err != nil {
		return nil, fmt.Errorf("building RM client for %s: %w", pool.Name(), err)
	}
	if c.client != nil {
		c.client.Close()
	}
	c.client, c.fingerprint = built, fingerprint
	return built, nil
}

// options reads what the client needs and fingerprints it. The fingerprint covers the RM list,
// the principal and the resourceVersions of the Secret and ConfigMap, never the key material.
func (f *Factory) options(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (yarnclient.Options, string, error) {
	y := enm.Spec.YARN
	opts := yarnclient.Options{
		RMs:        y.ResourceManagers,
		Registerer: f.Registerer,
		Logger:     f.Logger.WithValues("pool", enm.Namespace+"/"+enm.Name),
		User:       "yarn-operator",
	}
	parts := []string{strings.Join(y.ResourceManagers, ",")}
	if k := y.Kerberos; k != nil {
		var secret corev1.Secret
		if err := f.Reader.Get(ctx, client.ObjectKey{Namespace: enm.Namespace, Name: k.ClientKeytab.Name}, &secret); err != nil {
			return opts, "", fmt.Errorf("reading the operator keytab Secret %s/%s: %w", enm.Namespace, k.ClientKeytab.Name, err)
		}
		keytab, ok := secret.Data[k.ClientKeytab.Key]
		if !ok || len(keytab) == 0 {
			return opts, "", fmt.Errorf("the operator keytab Secret %s/%s has no key %q", enm.Namespace, k.ClientKeytab.Name, k.ClientKeytab.Key)
		}
		var cm corev1.ConfigMap
		if err := f.Reader.Get(ctx, client.ObjectKey{Namespace: enm.Namespace, Name: k.Krb5Conf.Name}, &cm); err != nil {
			return opts, "", fmt.Errorf("reading the krb5.conf ConfigMap %s/%s: %w", enm.Namespace, k.Krb5Conf.Name, err)
		}
		conf, ok := cm.Data[k.Krb5Conf.Key]
		if !ok || conf == "" {
			return opts, "", fmt.Errorf("the krb5.conf ConfigMap %s/%s has no key %q", enm.Namespace, k.Krb5Conf.Name, k.Krb5Conf.Key)
		}
		opts.Kerberos = &yarnclient.KerberosOptions{Principal: k.ClientPrincipal, Realm: k.Realm, Keytab: keytab, Krb5Conf: conf}
		parts = append(parts, k.ClientPrincipal, string(secret.UID), secret.ResourceVersion, string(cm.UID), cm.ResourceVersion)
	}
	if f.Configure != nil {
		f.Configure(&opts)
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return opts, hex.EncodeToString(sum[:]), nil
}

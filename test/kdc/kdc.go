package kdc

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// DefaultRealm is the realm Start creates unless WithRealm says otherwise.
const DefaultRealm = "EXAMPLE.TEST"

// ClockSkew is the maximum clock difference the generated configuration allows (the MIT and
// Hadoop default): services and the KDC reject authenticators further away than this.
const ClockSkew = 300 * time.Second

// KDC is a running MIT KDC with its own realm. Its methods are safe for concurrent use.
type KDC struct {
	// Realm is the Kerberos realm, e.g. EXAMPLE.TEST.
	Realm string
	// Dir holds the database, stash, configuration files and the KDC log.
	Dir string
	// Port is the loopback port the KDC listens on (UDP and TCP).
	Port int

	kadmin string
	env    []string
	cmd    *exec.Cmd
	done   chan struct{}

	mu      sync.Mutex // serialises kadmin.local calls: they share the database lock
	stopped bool
}

// Option changes how Start sets the realm up.
type Option func(*settings)

type settings struct {
	realm string
}

// WithRealm creates the given realm instead of DefaultRealm.
func WithRealm(realm string) Option { return func(s *settings) { s.realm = realm } }

// Start creates a fresh realm and starts krb5kdc on a free loopback port. The KDC is stopped
// and its directory removed when the test ends.
func Start(t testing.TB, opts ...Option) *KDC {
	t.Helper()
	bins := realcomponents.Require(t, "krb5kdc", "kdb5_util", "kadmin.local")
	s := settings{realm: DefaultRealm}
	for _, o := range opts {
		o(&s)
	}
	var lastErr error
	// A free port is found by binding and releasing it; another process can grab it in between,
	// so a failed start is retried on a new port.
	for attempt := 0; attempt < 5; attempt++ {
		k, err := start(t.TempDir(), s.realm, bins[0], bins[1], bins[2])
		if err == nil {
			t.Cleanup(k.Stop)
			return k
		}
		lastErr = err
	}
	t.Fatalf("kdc: start: %v", lastErr)
	return nil
}

func start(dir, realm, krb5kdc, kdb5util, kadmin string) (*KDC, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	k := &KDC{Realm: realm, Dir: dir, Port: port, kadmin: kadmin, done: make(chan struct{})}
	if err := os.WriteFile(k.path("kdc.conf"), []byte(k.kdcConf()), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(k.path("krb5.conf"), []byte(k.Krb5Conf()), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(k.path("kadm5.acl"), []byte("*/admin@"+realm+" *\n"), 0o600); err != nil {
		return nil, err
	}
	// Only our generated files are consulted; HOME etc. are kept so the binaries run normally.
	k.env = append(os.Environ(),
		"KRB5_CONFIG="+k.path("krb5.conf"),
		"KRB5_KDC_PROFILE="+k.path("kdc.conf"),
		"KRB5RCACHEDIR="+dir,
		"KRB5CCNAME=FILE:"+k.path("ccache"),
	)
	if out, err := k.run(kdb5util, "-r", realm, "create", "-s", "-P", "master-"+strconv.Itoa(port)); err != nil {
		return nil, fmt.Errorf("kdb5_util create: %v: %s", err, out)
	}
	k.cmd = exec.Command(krb5kdc, "-n", "-r", realm, "-P", k.path("krb5kdc.pid"))
	k.cmd.Env = k.env
	k.cmd.Dir = dir
	logf, err := os.Create(k.path("krb5kdc.stderr"))
	if err != nil {
		return nil, err
	}
	k.cmd.Stdout, k.cmd.Stderr = logf, logf
	if err := k.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { _ = k.cmd.Wait(); logf.Close(); close(k.done) }()
	if err := k.waitListening(10 * time.Second); err != nil {
		k.Stop()
		log, _ := os.ReadFile(k.path("krb5kdc.log"))
		return nil, fmt.Errorf("%v; kdc log: %s", err, log)
	}
	return k, nil
}

// waitListening polls the TCP port until the KDC accepts connections or has exited.
func (k *KDC) waitListening(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-k.done:
			return fmt.Errorf("krb5kdc exited early")
		default:
		}
		c, err := net.DialTimeout("tcp", k.Address(), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("krb5kdc not listening on %s after %v", k.Address(), timeout)
}

// Address is host:port of the KDC on loopback.
func (k *KDC) Address() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(k.Port)) }

// Stop terminates the KDC. It is registered with t.Cleanup by Start and safe to call twice.
func (k *KDC) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped || k.cmd == nil || k.cmd.Process == nil {
		return
	}
	k.stopped = true
	_ = k.cmd.Process.Signal(os.Interrupt)
	select {
	case <-k.done:
	case <-time.After(5 * time.Second):
		_ = k.cmd.Process.Kill()
		<-k.done
	}
}

func (k *KDC) path(name string) string { return filepath.Join(k.Dir, name) }

func (k *KDC) run(bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = k.env
	cmd.Dir = k.Dir
	return cmd.CombinedOutput()
}

// Kadmin runs one kadmin.local query (e.g. "getprinc HTTP/localhost") and returns its output.
// kadmin.local prints some failures but still exits 0, so callers that need certainty should
// check the output too; the helpers below do.
func (k *KDC) Kadmin(query string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out, err := k.run(k.kadmin, "-r", k.Realm, "-q", query)
	return string(out), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	// The UDP side must be free too; try to bind it for the same number.
	port := l.Addr().(*net.TCPAddr).Port
	u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return 0, err
	}
	u.Close()
	return port, nil
}

// quote guards against a principal name that would break the kadmin.local query line.
func quote(s string) string {
	if strings.ContainsAny(s, " \t\"'\n") {
		panic("kdc: principal names with spaces or quotes are not supported: " + strconv.Quote(s))
	}
	return s
}

package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/koordletclient"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/koordlet"
)

// TestBinaryServesKoordletContainerEviction: the real guarder binary, with the socket the
// operator configures, answers a koordlet CPU eviction on a real LinuxContainerExecutor tree:
// the Spark executor gets SIGPWR and koordlet is told one core was released. The socket is
// mode 0600. The request is koordlet's (package koordletclient).
func TestBinaryServesKoordletContainerEviction(t *testing.T) {
	const spark = "container_e17_1410901177871_0061_01_000002"
	tree := yarnproctest.StartTree(t, yarnproctest.LinuxContainerExecutor, []yarnproctest.TreeContainer{
		{ID: spark, JVM: yarnproctest.SparkExecutorWithPWRHandler},
	})
	t.Cleanup(func() { t.Log("\n" + tree.Report()) })
	nm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintf(w, `{"containers":{"container":[{"id":%q,"state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024}]}}`, spark)
	}))
	defer nm.Close()

	sockDir, err := os.MkdirTemp("", "kl")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(sockDir)
	socket := filepath.Join(sockDir, "yarn-copilot", "yarn-copilot.sock")
	g := startGuarder(t, nm.URL, []string{"-scan-interval", "1h"}, []string{contract.EnvKoordletSocket + "=" + socket})
	stderr := g.Stderr
	st, err := os.Stat(socket)
	if err != nil || st.Mode()&os.ModeSocket == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v %v", st, err)
	}

	answer := koordletclient.New(socket).KillContainersByResource(koordletclient.CPURequest(500))
	if cpu := answer[koordlet.BatchCPU]; cpu.MilliValue() != 1000 {
		t.Fatalf("answer %v, want batch-cpu 1 core\n%s", answer, stderr.String())
	}
	p := tree.Containers[0]
	for deadline := time.Now().Add(60 * time.Second); !p.HasMarker("pwr"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the Spark executor got no SIGPWR\n%s", stderr.String())
		}
	}
	if got := tree.NMSignals(); got != "" {
		t.Errorf("the NodeManager received %q", got)
	}
}

package demo

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// controlPlane is etcd + kube-apiserver + kube-scheduler on loopback.
type controlPlane struct {
	server     string // https://127.0.0.1:<port>
	kubeconfig string
	token      string
	procs      []*proc
}

// startControlPlane starts etcd, kube-apiserver and kube-scheduler from assets (the directory
// hack/envtest-assets.sh prints) with state and logs under dir.
func startControlPlane(ctx context.Context, assets, dir string) (*controlPlane, error) {
	cp := &controlPlane{}
	creds, err := writeCredentials(dir)
	if err != nil {
		return nil, err
	}
	cp.token = creds.token
	etcdPort, err := freePort()
	if err != nil {
		return nil, err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, err
	}
	etcdURL := "http://" + loopback(etcdPort)
	etcd, err := startProc(dir, "etcd", nil, filepath.Join(assets, "etcd"),
		"--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls=http://"+loopback(peerPort),
		"--initial-advertise-peer-urls=http://"+loopback(peerPort),
		"--initial-cluster=default=http://"+loopback(peerPort),
		"--quota-backend-bytes=1073741824")
	if err != nil {
		return nil, err
	}
	cp.procs = append(cp.procs, etcd)
	if err := waitFor(ctx, etcd, 30*time.Second, "etcd health", func() error { return httpOK(etcdURL+"/health", "") }); err != nil {
		return cp, err
	}

	apiPort, err := freePort()
	if err != nil {
		return cp, err
	}
	cp.server = "https://" + loopback(apiPort)
	api, err := startProc(dir, "kube-apiserver", nil, filepath.Join(assets, "kube-apiserver"),
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(apiPort),
		"--cert-dir="+filepath.Join(dir, "apiserver-certs"),
		"--token-auth-file="+creds.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://127.0.0.1",
		"--service-account-key-file="+creds.saKey,
		"--service-account-signing-key-file="+creds.saKey,
		// A configuration value only: no Service IP is ever dialled in the demo.
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		// There is no node lifecycle controller to lift the not-ready taint this plugin puts on
		// new nodes; kwok reports them Ready.
		"--disable-admission-plugins=TaintNodesByCondition",
		// Debian's etcd 3.4 lacks RequestWatchProgress, so watch-list streams (which kwok's
		// informers ask for) end every few seconds and pod status stalls until a relist.
		// Without the gate clients fall back to plain list+watch.
		"--feature-gates=WatchList=false",
		"--enable-priority-and-fairness=false",
		"--profiling=false")
	if err != nil {
		return cp, err
	}
	cp.procs = append(cp.procs, api)
	if err := waitFor(ctx, api, 90*time.Second, "kube-apiserver /readyz", func() error {
		return httpOK(cp.server+"/readyz", creds.token)
	}); err != nil {
		return cp, err
	}
	cp.kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(cp.kubeconfig, cp.server, creds.token); err != nil {
		return cp, err
	}

	schedPort, err := freePort()
	if err != nil {
		return cp, err
	}
	sched, err := startProc(dir, "kube-scheduler", nil, filepath.Join(assets, "kube-scheduler"),
		"--kubeconfig="+cp.kubeconfig,
		"--authentication-kubeconfig="+cp.kubeconfig,
		"--authorization-kubeconfig="+cp.kubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(schedPort))
	if err != nil {
		return cp, err
	}
	cp.procs = append(cp.procs, sched)
	return cp, nil
}

// stop stops the processes in reverse order.
func (cp *controlPlane) stop() {
	for i := len(cp.procs) - 1; i >= 0; i-- {
		cp.procs[i].stop(5 * time.Second)
	}
}

// insecureLoopback is the HTTP client for the self-signed loopback endpoints.
var insecureLoopback = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // self-signed, loopback only
	Proxy:           nil,
}}

// httpOK GETs url (with a bearer token if given) and wants a 200.
func httpOK(url, token string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := insecureLoopback.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

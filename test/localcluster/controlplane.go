package localcluster

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

// ControlPlane is etcd + kube-apiserver + kube-scheduler on loopback.
type ControlPlane struct {
	Server     string // https://127.0.0.1:<port>
	Kubeconfig string
	Token      string
	procs      []*Proc
}

// StartControlPlane starts etcd, kube-apiserver and kube-scheduler from assets (the directory
// `hack/tools.sh path kube` prints) with state and logs under dir.
func StartControlPlane(ctx context.Context, assets, dir string) (*ControlPlane, error) {
	cp := &ControlPlane{}
	creds, err := writeCredentials(dir)
	if err != nil {
		return nil, err
	}
	cp.Token = creds.token
	etcdPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	peerPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	etcdURL := "http://" + Loopback(etcdPort)
	etcd, err := StartProc(dir, "etcd", nil, filepath.Join(assets, "etcd"),
		"--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls=http://"+Loopback(peerPort),
		"--initial-advertise-peer-urls=http://"+Loopback(peerPort),
		"--initial-cluster=default=http://"+Loopback(peerPort),
		"--quota-backend-bytes=1073741824")
	if err != nil {
		return nil, err
	}
	cp.procs = append(cp.procs, etcd)
	if err := WaitFor(ctx, etcd, 30*time.Second, "etcd health", func() error { return HTTPOK(etcdURL+"/health", "") }); err != nil {
		return cp, err
	}

	apiPort, err := FreePort()
	if err != nil {
		return cp, err
	}
	cp.Server = "https://" + Loopback(apiPort)
	api, err := StartProc(dir, "kube-apiserver", nil, filepath.Join(assets, "kube-apiserver"),
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
	if err := WaitFor(ctx, api, 90*time.Second, "kube-apiserver /readyz", func() error {
		return HTTPOK(cp.Server+"/readyz", creds.token)
	}); err != nil {
		return cp, err
	}
	cp.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := writeKubeconfig(cp.Kubeconfig, cp.Server, creds.token); err != nil {
		return cp, err
	}

	schedPort, err := FreePort()
	if err != nil {
		return cp, err
	}
	sched, err := StartProc(dir, "kube-scheduler", nil, filepath.Join(assets, "kube-scheduler"),
		"--kubeconfig="+cp.Kubeconfig,
		"--authentication-kubeconfig="+cp.Kubeconfig,
		"--authorization-kubeconfig="+cp.Kubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(schedPort))
	if err != nil {
		return cp, err
	}
	cp.procs = append(cp.procs, sched)
	return cp, nil
}

// Stop stops the processes in reverse order.
func (cp *ControlPlane) Stop() {
	for i := len(cp.procs) - 1; i >= 0; i-- {
		cp.procs[i].Stop(5 * time.Second)
	}
}

// insecureLoopback is the HTTP client for the self-signed loopback endpoints.
var insecureLoopback = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // self-signed, loopback only
	Proxy:           nil,
}}

// HTTPOK GETs url (with a bearer token if given) and wants a 200.
func HTTPOK(url, token string) error {
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

// Exists reports whether path exists.
func Exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

package localcluster

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
)

// credentials are the control plane's generated secrets: the service-account signing key and
// one static admin bearer token (group system:masters). The apiserver makes its own
// self-signed serving certificate in its cert dir; clients skip verification on loopback.
type credentials struct {
	saKey     string // PEM RSA key, signs and verifies service-account tokens
	tokenFile string // kube-apiserver --token-auth-file
	token     string
}

func writeCredentials(dir string) (*credentials, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	c := &credentials{saKey: filepath.Join(dir, "sa.key"), tokenFile: filepath.Join(dir, "tokens.csv")}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(c.saKey, pemKey, 0o600); err != nil {
		return nil, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	c.token = hex.EncodeToString(raw)
	line := fmt.Sprintf("%s,demo-admin,demo-admin,\"system:masters\"\n", c.token)
	if err := os.WriteFile(c.tokenFile, []byte(line), 0o600); err != nil {
		return nil, err
	}
	return c, nil
}

// writeKubeconfig writes a kubeconfig for server with the admin token.
func writeKubeconfig(path, server, token string) error {
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster:
    server: %s
    insecure-skip-tls-verify: true
users:
- name: demo-admin
  user:
    token: %s
contexts:
- name: demo
  context: {cluster: demo, user: demo-admin}
current-context: demo
`, server, token)
	return os.WriteFile(path, []byte(cfg), 0o600)
}

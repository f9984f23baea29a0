package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Namespace holds the demo's pools, StaticIPs and NodeManager pods.
const Namespace = "yarn-elastic"

// Pool names (hack/demo/pools.yaml.tmpl).
const (
	ResidentPool = "resident-pool"
	NightPool    = "night-pool"
)

// staticIP is one StaticIP of the template.
type staticIP struct{ Name, Address, FQDN string }

// poolsData fills hack/demo/pools.yaml.tmpl.
type poolsData struct {
	Namespace, RMURL, PrometheusURL string
	WindowStart, WindowEnd          string
	CrossesMidnight                 bool
	DrainDuration                   string
	ResidentIPs, NightIPs           []staticIP
}

// loopbackIPs are n StaticIPs 127.0.10.<first+i>: loopback addresses, so the guarder
// stand-ins can listen on the pods' IPs on this machine.
func loopbackIPs(first, n int) []staticIP {
	out := make([]staticIP, n)
	for i := range out {
		addr := fmt.Sprintf("127.0.10.%d", first+i)
		dashed := strings.ReplaceAll(addr, ".", "-")
		out[i] = staticIP{Name: "nm-" + dashed, Address: addr, FQDN: "nm-" + dashed + ".demo.elasticyarn.test"}
	}
	return out
}

// renderPools renders the template at path.
func renderPools(path string, d poolsData) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := template.New(filepath.Base(path)).Option("missingkey=error").Parse(string(raw))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// createYAML creates every object of a multi-document YAML stream.
func createYAML(ctx context.Context, c client.Client, data []byte) error {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var u unstructured.Unstructured
		if err := dec.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if len(u.Object) == 0 {
			continue
		}
		if err := c.Create(ctx, &u); err != nil {
			return fmt.Errorf("creating %s %s: %w", u.GetKind(), u.GetName(), err)
		}
	}
}

// createPools renders and creates the StaticIPs and both pools; it returns the window.
func createPools(ctx context.Context, c client.Client, configDir, rmURL, promURL string, nPerPool int, runEnd time.Time) (Window, error) {
	w := planWindow(time.Now(), runEnd, 15*time.Second, time.Minute, 20*time.Second)
	d := poolsData{Namespace: Namespace, RMURL: rmURL, PrometheusURL: promURL,
		WindowStart: w.Start.Format("15:04"), WindowEnd: w.End.Format("15:04"), CrossesMidnight: w.CrossesMidnight,
		DrainDuration: w.Drain.String(), ResidentIPs: loopbackIPs(1, nPerPool), NightIPs: loopbackIPs(101, nPerPool)}
	data, err := renderPools(filepath.Join(configDir, "pools.yaml.tmpl"), d)
	if err != nil {
		return w, err
	}
	return w, createYAML(ctx, c, data)
}

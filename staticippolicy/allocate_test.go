package staticippolicy_test

import (
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

func TestAllocate(t *testing.T) {
	req := staticippolicy.Request{Pool: "pool", Node: "node-a", Pod: "nm-node-a"}
	kerberos := req
	kerberos.RequireKeytab = true

	tests := []struct {
		name    string
		req     staticippolicy.Request
		pool    []v1alpha1.StaticIP
		want    staticippolicy.Allocation
		wantErr error
		errHas  []string
	}{
		{
			name: "first available by name, whatever the list order",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-c"), sip("ip-a"), sip("ip-b")},
			want: staticippolicy.Allocation{Name: "ip-a"},
		},
		{
			name: "sticky: the address this node held last wins over the first by name",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-a"), sip("ip-b", lastNode("node-a"))},
			want: staticippolicy.Allocation{Name: "ip-b", Sticky: true},
		},
		{
			name: "sticky address held by someone else: fall back to a fresh one",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-a", lastNode("node-a"), boundTo("pool", "other", "node-z")), sip("ip-b")},
			want: staticippolicy.Allocation{Name: "ip-b"},
		},
		{
			name: "fresh addresses before ones other nodes will come back for",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-a", lastNode("node-b")), sip("ip-b")},
			want: staticippolicy.Allocation{Name: "ip-b"},
		},
		{
			name: "another node's last address when nothing fresh is left",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-b", lastNode("node-c")), sip("ip-a", lastNode("node-b"))},
			want: staticippolicy.Allocation{Name: "ip-a"},
		},
		{
			name: "idempotent: the pod gets back what it holds",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-a"), sip("ip-b", boundTo("pool", "nm-node-a", "node-a"))},
			want: staticippolicy.Allocation{Name: "ip-b", Existing: true},
		},
		{
			name: "same pod name in another pool is another pod",
			req:  req,
			pool: []v1alpha1.StaticIP{sip("ip-a", boundTo("other-pool", "nm-node-a", "node-a")), sip("ip-b")},
			want: staticippolicy.Allocation{Name: "ip-b"},
		},
		{
			name:    "held for another node is a conflict, not a silent reuse",
			req:     req,
			pool:    []v1alpha1.StaticIP{sip("ip-a", boundTo("pool", "nm-node-a", "node-z")), sip("ip-b")},
			wantErr: staticippolicy.ErrHeldElsewhere,
			errHas:  []string{"ip-a", "node-z"},
		},
		{
			name: "invalid, releasing and unchecked are skipped even when sticky",
			req:  req,
			pool: []v1alpha1.StaticIP{
				sip("ip-a", phase(v1alpha1.StaticIPInvalid), lastNode("node-a")),
				sip("ip-b", phase(v1alpha1.StaticIPReleasing), lastNode("node-a")),
				sip("ip-c", phase(""), lastNode("node-a")),
				sip("ip-d"),
			},
			want: staticippolicy.Allocation{Name: "ip-d"},
		},
		{
			name: "kerberos pool: only KeytabValid=True qualifies",
			req:  kerberos,
			pool: []v1alpha1.StaticIP{sip("ip-a"), sip("ip-b", keytabCondition(metav1.ConditionFalse)), sip("ip-c", keytabCondition(metav1.ConditionTrue))},
			want: staticippolicy.Allocation{Name: "ip-c"},
		},
		{
			name: "exhausted, with counts",
			req:  kerberos,
			pool: []v1alpha1.StaticIP{
				sip("ip-a", boundTo("pool", "x", "node-x"), keytabCondition(metav1.ConditionTrue)),
				sip("ip-b", boundTo("pool", "y", "node-y"), phase(v1alpha1.StaticIPReleasing)),
				sip("ip-c", phase(v1alpha1.StaticIPInvalid)),
				sip("ip-d", keytabCondition(metav1.ConditionFalse)),
				sip("ip-e"),
			},
			wantErr: staticippolicy.ErrPoolExhausted,
			errHas:  []string{`"pool"`, "5 StaticIPs", "0 available", "1 bound", "1 releasing", "2 invalid", "1 not yet checked"},
		},
		{
			name:    "empty pool",
			req:     req,
			wantErr: staticippolicy.ErrPoolExhausted,
			errHas:  []string{"0 StaticIPs"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := staticippolicy.Allocate(tc.req, tc.pool)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				for _, s := range tc.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q lacks %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAllocateExhaustedErrorCarriesCounts(t *testing.T) {
	_, err := staticippolicy.Allocate(staticippolicy.Request{Pool: "p", Node: "n", Pod: "x"},
		[]v1alpha1.StaticIP{sip("a", boundTo("p", "y", "m"))})
	var ex *staticippolicy.ExhaustedError
	if !errors.As(err, &ex) || ex.Counts.Total != 1 || ex.Counts.Bound != 1 {
		t.Fatalf("got %#v", err)
	}
}

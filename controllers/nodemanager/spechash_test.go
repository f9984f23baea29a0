package nodemanager

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// TestSpecHashMemo: a remembered hash is always the one podspec.Build gives now: a change to
// the pool's spec, to a StaticIP's spec (both bump the generation) or a new pool of the same
// name builds again; hashes of identities no longer used and of gone pools are dropped.
func TestSpecHashMemo(t *testing.T) {
	opts := podspec.Options{DefaultGuarderImage: "guarder:test"}
	enm := &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: "ns", UID: "u1", Generation: 1},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:     v1alpha1.YARNSpec{ClusterName: "c", ResourceManagers: []string{"http://rm:8088"}},
			Template: v1alpha1.NodeManagerTemplate{Image: "hadoop:3.3.6"},
		},
	}
	sip := &v1alpha1.StaticIP{ObjectMeta: metav1.ObjectMeta{Name: "nm-0", Namespace: "ns", Generation: 1},
		Spec: v1alpha1.StaticIPSpec{Address: "10.0.0.1", FQDN: "nm-0.example.com"}}
	built := func() string { return podSpecHash(podspec.Build(enm, "node-a", sip, opts)) }
	pools := &poolstate.Pools{}
	memo := func() *specHashMemo { return poolSpecHashesSlot.Get(pools.Of(enm)) }

	steps := []struct {
		name   string
		change func()
	}{
		{"first build", func() {}},
		{"nothing changed: remembered", func() {}},
		{"StaticIP spec changed", func() { sip = sip.DeepCopy(); sip.Spec.Address, sip.Generation = "10.0.0.2", 2 }},
		{"pool spec changed", func() { enm = enm.DeepCopy(); enm.Spec.Template.Image, enm.Generation = "hadoop:3.3.7", 2 }},
		{"pool replaced by one of the same name and generation", func() {
			enm = enm.DeepCopy()
			enm.UID, enm.Generation, enm.Spec.Template.Image = "u2", 2, "hadoop:3.4.0"
		}},
	}
	for _, s := range steps {
		s.change()
		p := memo().of(enm)
		if got, want := p.hash(enm, "node-a", sip, opts), built(); got != want {
			t.Errorf("%s: hash %s, want %s (what podspec.Build gives now)", s.name, got, want)
		}
		p.prune(1)
	}

	p := memo().of(enm)
	for i := range 40 {
		other := sip.DeepCopy()
		other.Name = "nm-x" + string(rune('a'+i))
		p.hash(enm, "node-b", other, opts)
	}
	p = memo().of(enm) // a cycle that uses one identity only
	p.hash(enm, "node-a", sip, opts)
	p.prune(1)
	if len(p.byIdentity) != 1 {
		t.Errorf("%d hashes kept after pruning, want the 1 in use", len(p.byIdentity))
	}

	pools.Drop(types.NamespacedName{Namespace: "ns", Name: "pool"})
	if pools.Len() != 0 {
		t.Errorf("%d pools remembered after the pool was dropped", pools.Len())
	}
}

package yarnclient

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRecordedNodes(t *testing.T) {
	nodes, err := DecodeNodes(readTestdata(t, "nodes-3.3.json"))
	if err != nil || len(nodes) != 2 {
		t.Fatalf("%v %+v", err, nodes)
	}
	n := nodes[0]
	if n.ID != "host1.example.com:8041" || n.State != NodeRunning || n.NumContainers != 2 ||
		*n.TotalResource != (Resource{16384, 8}) || *n.UsedResource != (Resource{3072, 2}) ||
		*n.AvailableResource != (Resource{13312, 6}) || !reflect.DeepEqual(n.NodeLabels, []string{"elastic"}) {
		t.Fatalf("node 0: %+v", n)
	}
	if nodes[1].State != NodeDecommissioned || nodes[1].NodeHTTPAddress != "" || nodes[1].NodeLabels != nil {
		t.Fatalf("node 1: %+v", nodes[1])
	}

	single, err := DecodeNodes(readTestdata(t, "nodes-single-object.json"))
	if err != nil || len(single) != 1 || single[0].NumContainers != 1 || single[0].UsedMemoryMB != 1024 ||
		*single[0].TotalResource != (Resource{1024, 1}) || !reflect.DeepEqual(single[0].NodeLabels, []string{"elastic"}) {
		t.Fatalf("single object with string numbers: %v %+v", err, single)
	}
	if none, err := DecodeNodes(readTestdata(t, "nodes-null.json")); err != nil || len(none) != 0 {
		t.Fatalf("nodes:null: %v %+v", err, none)
	}
	old, err := DecodeNodes(readTestdata(t, "nodes-2.7.json"))
	if err != nil || len(old) != 1 || old[0].TotalResource != nil || old[0].AvailMemoryMB != 8192 {
		t.Fatalf("2.7 node: %v %+v", err, old)
	}
	for _, f := range []string{"node-3.3.json", "node-unwrapped.json"} {
		n, err := DecodeNode(readTestdata(t, f))
		if err != nil || n.ID != "host1.example.com:8041" || *n.TotalResource != (Resource{12288, 6}) {
			t.Fatalf("%s: %v %+v", f, err, n)
		}
	}
}

func TestDecodeRecordedClusterInfo(t *testing.T) {
	info, err := DecodeClusterInfo(readTestdata(t, "cluster-info.json"))
	if err != nil || info.HAState != "ACTIVE" || info.ResourceManagerVersion != "3.3.6" || info.ID != 1324053971963 {
		t.Fatalf("%v %+v", err, info)
	}
	info, err = DecodeClusterInfo(readTestdata(t, "cluster-info-standby-2.9.json"))
	if err != nil || info.HAState != "STANDBY" || info.StartedOn != 1324053971963 {
		t.Fatalf("%v %+v", err, info)
	}
}

func TestDecodeRecordedNodeLabels(t *testing.T) {
	two := []NodeLabel{{"elastic", false}, {"gpu", true}}
	for file, want := range map[string][]NodeLabel{
		"node-labels-3.3-list.json":   two,
		"node-labels-wrapped.json":    two,
		"node-labels-3.3-single.json": {{"elastic", false}},
		"node-labels-2.x.json":        {{"elastic", true}, {"gpu", true}},
		"node-labels-2.x-single.json": {{"elastic", true}},
		"node-labels-empty.json":      {},
	} {
		got, err := DecodeNodeLabels(readTestdata(t, file))
		if err != nil || len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: %v %+v, want %+v", file, err, got, want)
		}
	}
}

func TestDecodeRecordedAppsAndResource(t *testing.T) {
	apps, err := DecodeApps(readTestdata(t, "apps-running.json"))
	if err != nil || len(apps) != 2 {
		t.Fatalf("%v %+v", err, apps)
	}
	if apps[0].ID != "application_1476912658570_0002" || apps[0].Priority != 5 || apps[1].ID != "application_1476912658570_0003" || apps[1].AllocatedMB != 1024 {
		t.Fatalf("%+v", apps)
	}
	if none, err := DecodeApps(readTestdata(t, "apps-null.json")); err != nil || len(none) != 0 {
		t.Fatalf("apps:null %v %+v", err, none)
	}
	r, err := DecodeResourceInfo(readTestdata(t, "resource-info.json"))
	if err != nil || r != (Resource{16384, 8}) {
		t.Fatalf("%v %+v", err, r)
	}
}

func TestFlexValues(t *testing.T) {
	var b flexBool
	for in, want := range map[string]bool{`true`: true, `"true"`: true, `"FALSE"`: false, `null`: false} {
		if err := b.UnmarshalJSON([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("flexBool(%s) = %v %v", in, b, err)
		}
	}
	var n flexInt
	for in, want := range map[string]int64{`12`: 12, `"12"`: 12, `12.0`: 12, `""`: 0, `null`: 0} {
		if err := n.UnmarshalJSON([]byte(in)); err != nil || int64(n) != want {
			t.Errorf("flexInt(%s) = %v %v", in, n, err)
		}
	}
	if err := n.UnmarshalJSON([]byte(`"x"`)); err == nil {
		t.Error("flexInt accepted a word")
	}
}

// TestDecodeNodesOnePassMatchesEveryShape: the one-pass decode of the common shape gives
// what the general decoder gives, for recorded listings and for strings and numbers the
// fast paths of flexString and flexInt must hand to encoding/json.
func TestDecodeNodesOnePassMatchesEveryShape(t *testing.T) {
	bodies := map[string][]byte{
		"recorded 3.3": readTestdata(t, "nodes-3.3.json"),
		"recorded 2.7": readTestdata(t, "nodes-2.7.json"),
		"escapes and odd numbers": []byte(`{"nodes":{"node":[
			{"id":"h\u00e9:8041","state":"RUNNING","nodeHostName":"a\\b","healthReport":"line\nnext","numContainers":"3",
			 "usedMemoryMB":1.0e3,"availMemoryMB":-12,"lastHealthUpdate":1700000000000,"nodeLabels":"x",
			 "totalResource":{"memory":"4096","vCores":4}},
			{"id":12345,"state":"LOST","rack":null,"version":true,"nodeLabels":["a",""],"usedVirtualCores":99999999999999999999}]}}`),
		"invalid utf-8": append(append([]byte(`{"nodes":{"node":[{"id":"`), 0xff, 0xfe), []byte(`:1"}]}}`)...),
		"empty":         []byte(`{"nodes":{"node":[]}}`),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			got, gotErr := DecodeNodes(body)
			want, wantErr := decodeNodesAnyShape(body)
			if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("one pass: %+v, %v\ngeneral:  %+v, %v", got, gotErr, want, wantErr)
			}
		})
	}
}

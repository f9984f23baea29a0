package discovery

import "testing"

func TestParseContainerID(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		app     string
		seq     int64
		epoch   int64
		attempt int64
	}{
		{"container_e17_1410901177871_0001_01_000005", true, "application_1410901177871_0001", 5, 17, 1},
		{"container_1410901177871_0001_02_000001", true, "application_1410901177871_0001", 1, 0, 2},
		{"container_1410901177871_12345_01_000001", true, "application_1410901177871_12345", 1, 0, 1},
		{"container_e17_1410901177871_0001_01", false, "", 0, 0, 0},
		{"container_x_1_2_3_4", false, "", 0, 0, 0},
		{"application_1410901177871_0001", false, "", 0, 0, 0},
		{"container_1_2_3_4_5_6", false, "", 0, 0, 0},
		{"container_1_-2_3_4", false, "", 0, 0, 0},
	}
	for _, tt := range tests {
		id, err := ParseContainerID(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err=%v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		if id.String() != tt.in || id.ApplicationID().String() != tt.app || id.Seq != tt.seq || id.Epoch != tt.epoch || id.Attempt != tt.attempt {
			t.Errorf("%s: got %+v app %s", tt.in, id, id.ApplicationID())
		}
	}
	if id, _ := ParseContainerID("container_1410901177871_0001_02_000001"); !id.IsAM() {
		t.Error("seq 1 must be the AM container")
	}
}

func TestFindContainerID(t *testing.T) {
	id, ok := FindContainerID("/data/appcache/application_1_0001/container_e17_1410901177871_0001_01_000005/tmp")
	if !ok || id.String() != "container_e17_1410901177871_0001_01_000005" {
		t.Fatalf("got %v %v", id, ok)
	}
	if _, ok := FindContainerID("-Dx=/opt/container_logs"); ok {
		t.Fatal("must not match a non-id")
	}
}

func TestParseStatWithAwkwardComm(t *testing.T) {
	line := "4242 (we ird) (name)) S 1 4240 4240 0 -1 4194304 100 0 0 0 150 25 0 0 20 0 7 0 987654 1000000 2048 18446744073709551615\n"
	st, err := ParseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if st.PID != 4242 || st.Comm != "we ird) (name)" || st.PPID != 1 || st.PGID != 4240 ||
		st.UTimeTicks != 150 || st.STimeTicks != 25 || st.StartTicks != 987654 || st.RSSPages != 2048 || st.State != 'S' {
		t.Fatalf("got %+v", st)
	}
	for _, bad := range []string{"", "12 comm S 1", "12 (c) S 1 2", "x (c) S 1 2 3 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 1 1"} {
		if _, err := ParseStat(bad); err == nil {
			t.Errorf("ParseStat(%q) must fail", bad)
		}
	}
}

func TestSignalMasks(t *testing.T) {
	// SigCgt of a JVM with Spark's SIGPWR handler (bit 29 set) and of one without.
	m, err := ParseSignalMasks("Name:\tjava\nSigIgn:\t0000000000000000\nSigCgt:\t000000012100cefe\n")
	if err != nil || !m.HandlesSIGPWR() {
		t.Fatalf("with handler: %+v %v", m, err)
	}
	m, err = ParseSignalMasks("SigIgn:\t0000000000000000\nSigCgt:\t000000010100cefe\n")
	if err != nil || m.HandlesSIGPWR() {
		t.Fatalf("without handler: %+v %v", m, err)
	}
	if _, err := ParseSignalMasks("SigCgt:\tzz\nSigIgn:\t0\n"); err == nil {
		t.Fatal("bad hex must fail")
	}
	if _, err := ParseSignalMasks("Name: x\n"); err == nil {
		t.Fatal("missing masks must fail")
	}
}

func TestContainerFromCgroup(t *testing.T) {
	const id = "container_e17_1410901177871_0001_01_000005"
	tests := []struct {
		name, data, hierarchy string
		want                  bool
	}{
		{"v1", "12:memory:/hadoop-yarn/" + id + "\n4:cpu,cpuacct:/hadoop-yarn/" + id + "\n", "/hadoop-yarn", true},
		{"v2 nested", "0::/kubepods/besteffort/podx/hadoop-yarn/" + id + "\n", "/hadoop-yarn", true},
		{"custom hierarchy", "0::/yarn/nm1/" + id + "/sub\n", "yarn/nm1", true},
		{"other hierarchy", "0::/other/" + id + "\n", "/hadoop-yarn", false},
		{"hierarchy without container", "0::/hadoop-yarn\n", "/hadoop-yarn", false},
		{"garbage", "nonsense", "/hadoop-yarn", false},
	}
	for _, tt := range tests {
		got, ok := containerFromCgroup([]byte(tt.data), tt.hierarchy)
		if ok != tt.want || (ok && got.String() != id) {
			t.Errorf("%s: got %v %v", tt.name, got, ok)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		argv      []string
		framework Framework
		role      Role
		streaming bool
	}{
		{[]string{"java", "-Xmx1g", "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend"}, FrameworkSpark, RoleTask, false},
		{[]string{"java", "org.apache.spark.executor.CoarseGrainedExecutorBackend"}, FrameworkSpark, RoleTask, false},
		{[]string{"java", "org.apache.spark.deploy.yarn.ExecutorLauncher"}, FrameworkSpark, RoleAM, false},
		{[]string{"java", "org.apache.spark.deploy.yarn.ApplicationMaster"}, FrameworkSpark, RoleAM, false},
		{[]string{"java", "org.apache.hadoop.mapred.YarnChild", "127.0.0.1"}, FrameworkMapReduce, RoleTask, false},
		{[]string{"java", "org.apache.hadoop.mapreduce.v2.app.MRAppMaster"}, FrameworkMapReduce, RoleAM, false},
		{[]string{"java", "org.apache.tez.runtime.task.TezChild"}, FrameworkTez, RoleTask, false},
		{[]string{"java", "org.apache.tez.dag.app.DAGAppMaster", "--session"}, FrameworkTez, RoleAM, false},
		{[]string{"java", "org.apache.flink.yarn.YarnTaskExecutorRunner"}, FrameworkFlink, RoleTask, true},
		{[]string{"java", "org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint"}, FrameworkFlink, RoleAM, true},
		{[]string{"java", "org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint"}, FrameworkFlink, RoleAM, true},
		{[]string{"java", "-Dx=org.apache.hadoop.mapred.YarnChild", "Main"}, FrameworkUnknown, RoleUnknown, false},
	}
	for _, tt := range tests {
		c := Classify(tt.argv)
		if c.Framework != tt.framework || c.Role != tt.role || c.Streaming != tt.streaming {
			t.Errorf("%v: got %+v", tt.argv, c)
		}
	}
}

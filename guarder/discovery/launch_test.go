package discovery

import (
	"reflect"
	"testing"
)

const cid = "container_e17_1410901177871_0001_01_000002"

func TestClassifyLauncher(t *testing.T) {
	work := "/data/yarn/local/usercache/u/appcache/application_1410901177871_0001/" + cid
	for _, tc := range []struct {
		name string
		argv []string
		want launcherKind
	}{
		{"LCE launch", []string{"/opt/hadoop/bin/container-executor", "u", "u", "1", "application_1410901177871_0001", cid, work, "/nmPrivate/launch_container.sh", "/t", "--http", "/p.pid", "/l", "/g", "cgroups=none"}, launcherContainerExecutor},
		{"LCE docker launch", []string{"/opt/hadoop/bin/container-executor", "u", "u", "4", "application_1410901177871_0001", cid, work}, launcherDockerExecutor},
		{"LCE --run-docker", []string{"container-executor", "--run-docker", "/nmPrivate/" + cid + "/docker.cmd"}, launcherDockerExecutor},
		{"docker client", []string{"/usr/bin/docker", "--config=/nmPrivate/x", "run", "--name=" + cid}, launcherDockerClient},
		{"DCE wrapper", []string{"bash", work + "/default_container_executor.sh"}, launcherDCEScript},
		{"DCE session script before exec", []string{"/bin/bash", work + "/default_container_executor_session.sh"}, launcherDCEScript},
		{"launch_container.sh", []string{"/bin/bash", work + "/launch_container.sh"}, notLauncher},
		{"bash -c of the user command", []string{"/bin/bash", "-c", "java -Dx=" + work + " Main 1>" + work + "/stdout"}, notLauncher},
		{"localizer", []string{"/usr/bin/java", "-Xmx256m", localizerClass, "u", "application_1410901177871_0001", cid}, launcherLocalizer},
		{"user JVM", []string{"/usr/bin/java", "org.apache.hadoop.mapred.YarnChild", "127.0.0.1", "4242", cid}, notLauncher},
		{"a script merely named like a wrapper argument to python", []string{"python3", work + "/default_container_executor.sh"}, notLauncher},
		{"empty", nil, notLauncher},
	} {
		if got := classifyLauncher(tc.argv); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func proc(pid, ppid, pgid, sid int, argv ...string) Process {
	return Process{Stat: Stat{PID: pid, PPID: ppid, PGID: pgid, Session: sid}, Argv: argv}
}

func pids(ps []Process) []int {
	out := []int{}
	for _, p := range ps {
		out = append(out, p.PID)
	}
	return out
}

// The NM is pid 10 (its own session and group); its launch chain shares both.
func TestSplitLaunchChain(t *testing.T) {
	for _, tc := range []struct {
		name              string
		marked            []Process
		members, launcher []int
		leader            int
		docker            bool
	}{
		{
			name: "LCE: the waiting parent is the launch chain whatever its name",
			marked: []Process{
				proc(20, 10, 10, 10, "/renamed/ce", "u", "u", "1"),
				proc(21, 20, 21, 21, "/bin/bash", "-c", "java ..."),
				proc(22, 21, 21, 21, "java", "Main"),
			},
			members: []int{21, 22}, launcher: []int{20}, leader: 21,
		},
		{
			name: "DCE 3.x: wrapper above the setsid session script",
			marked: []Process{
				proc(20, 10, 10, 10, "bash", "/w/default_container_executor.sh"),
				proc(21, 20, 21, 21, "/bin/bash", "-c", "java ..."),
				proc(22, 21, 21, 21, "java", "Main"),
			},
			members: []int{21, 22}, launcher: []int{20}, leader: 21,
		},
		{
			name: "leader gone: the orphan stays a member, a lingering wrapper stays a launcher",
			marked: []Process{
				proc(20, 10, 10, 10, "bash", "/w/default_container_executor.sh"),
				proc(22, 1, 21, 21, "java", "Main"),
			},
			members: []int{22}, launcher: []int{20}, leader: -1,
		},
		{
			name: "a container process that made its own session is still a member",
			marked: []Process{
				proc(21, 10, 21, 21, "/bin/bash", "-c", "java ..."),
				proc(22, 21, 21, 21, "java", "Main"),
				proc(30, 22, 30, 30, "python3", "daemon.py"),
			},
			members: []int{21, 22, 30}, launcher: nil, leader: 21,
		},
		{
			name: "Docker runtime: only container-executor and the docker client are visible",
			marked: []Process{
				proc(20, 10, 10, 10, "/opt/hadoop/bin/container-executor", "u", "u", "4", "app", cid),
				proc(21, 20, 10, 10, "/usr/bin/docker", "run", "--name="+cid),
			},
			members: nil, launcher: []int{20, 21}, leader: -1, docker: true,
		},
	} {
		members, launchers, leader, docker := splitLaunchChain(tc.marked)
		if leader != tc.leader {
			t.Errorf("%s: leader %d, want %d", tc.name, leader, tc.leader)
		}
		if got := pids(members); !reflect.DeepEqual(got, orEmpty(tc.members)) {
			t.Errorf("%s: members %v, want %v", tc.name, got, tc.members)
		}
		if got := pids(launchers); !reflect.DeepEqual(got, orEmpty(tc.launcher)) {
			t.Errorf("%s: launchers %v, want %v", tc.name, got, tc.launcher)
		}
		if docker != tc.docker {
			t.Errorf("%s: docker %v", tc.name, docker)
		}
	}
}

func orEmpty(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

func TestExclusiveGroup(t *testing.T) {
	leader := proc(21, 20, 21, 21)
	child := proc(22, 21, 21, 21)
	orphan := proc(22, 1, 21, 21)
	other := proc(40, 22, 40, 21)
	for _, tc := range []struct {
		name    string
		members []Process
		leader  *Process
		groups  map[int][]int
		want    int
	}{
		{"the session holds only the container", []Process{leader, child}, &leader, map[int][]int{21: {21, 22}, 10: {10, 20}}, 21},
		{"a foreign process joined the group", []Process{leader, child}, &leader, map[int][]int{21: {21, 22, 99}}, 0},
		{"leader gone, orphans share the group", []Process{orphan}, nil, map[int][]int{21: {22}}, 21},
		{"leader gone, members in two groups", []Process{orphan, other}, nil, map[int][]int{21: {22}, 40: {40}}, 0},
		{"a member in the NM's group (no leader)", []Process{proc(20, 10, 10, 10)}, nil, map[int][]int{10: {10, 20}}, 0},
		{"group 1 is never signalled", []Process{proc(5, 1, 1, 1)}, nil, map[int][]int{1: {5}}, 0},
	} {
		if got := exclusiveGroup(tc.members, tc.leader, tc.groups); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

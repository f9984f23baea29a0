package discovery

import (
	"bytes"
	"path"
	"strings"
)

// MarkerSource says how a process was tied to its container, strongest first.
type MarkerSource string

const (
	SourceCgroup  MarkerSource = "cgroup"
	SourceEnviron MarkerSource = "environ"
	SourceArgv    MarkerSource = "argv"
	SourceCwd     MarkerSource = "cwd"
	// SourceParent: the process carries no marker of its own but descends from one that does
	// (a daemon that cleared its environment and changed directory).
	SourceParent MarkerSource = "parent"
)

// containerFromCgroup finds <hierarchy>/<containerId> in /proc/<pid>/cgroup. Both layouts work:
// cgroup v1 lines look like "4:cpu,cpuacct:/hadoop-yarn/container_..." and the v2 line like
// "0::/kubepods/.../hadoop-yarn/container_...".
func containerFromCgroup(data []byte, hierarchy string) (ContainerID, bool) {
	prefix := strings.TrimRight(path.Clean("/"+hierarchy), "/") + "/"
	for _, line := range strings.Split(string(data), "\n") {
		// hierarchy-ID:controllers:path; the path itself may contain ':'.
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		p := parts[2]
		for {
			i := strings.Index(p, prefix)
			if i < 0 {
				break
			}
			seg := p[i+len(prefix):]
			if j := strings.IndexByte(seg, '/'); j >= 0 {
				seg = seg[:j]
			}
			if id, err := ParseContainerID(seg); err == nil {
				return id, true
			}
			p = p[i+1:]
		}
	}
	return ContainerID{}, false
}

// containerFromEnviron reads CONTAINER_ID=, which the NM sets for every container launch.
func containerFromEnviron(data []byte) (ContainerID, bool) {
	for _, kv := range bytes.Split(data, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("CONTAINER_ID=")); ok {
			if id, err := ParseContainerID(string(v)); err == nil {
				return id, true
			}
		}
	}
	return ContainerID{}, false
}

// containerFromArgs finds the container directory (.../appcache/<app>/<containerId>) in argv.
func containerFromArgs(argv []string) (ContainerID, bool) {
	for _, a := range argv {
		if id, ok := FindContainerID(a); ok {
			return id, true
		}
	}
	return ContainerID{}, false
}

package discovery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ContainerID is a parsed YARN container id:
// container_[e<epoch>_]<clusterTimestamp>_<appSeq>_<attempt>_<seq>.
//
// TODO(unify): yarnclient/ids.go (ParseContainerID) is being written in parallel; this minimal
// parser exists so the guarder does not wait for it and should be replaced by it later.
type ContainerID struct {
	Epoch            int64
	ClusterTimestamp int64
	AppSeq           int64
	Attempt          int64
	Seq              int64
	raw              string
}

// containerIDPattern finds a container id inside a longer string (a cgroup path, argv, cwd).
// The trailing boundary stops "container_..._000005" from matching inside "..._0000051x".
var containerIDPattern = regexp.MustCompile(`container_(?:e[0-9]+_)?[0-9]+_[0-9]+_[0-9]+_[0-9]+`)

// ParseContainerID parses exactly one container id.
func ParseContainerID(s string) (ContainerID, error) {
	rest, ok := strings.CutPrefix(s, "container_")
	if !ok {
		return ContainerID{}, fmt.Errorf("container id %q: missing container_ prefix", s)
	}
	parts := strings.Split(rest, "_")
	var id ContainerID
	if len(parts) == 5 && strings.HasPrefix(parts[0], "e") {
		epoch, err := strconv.ParseInt(parts[0][1:], 10, 64)
		if err != nil || epoch < 0 {
			return ContainerID{}, fmt.Errorf("container id %q: bad epoch", s)
		}
		id.Epoch = epoch
		parts = parts[1:]
	}
	if len(parts) != 4 {
		return ContainerID{}, fmt.Errorf("container id %q: want 4 numeric parts after the epoch", s)
	}
	fields := []*int64{&id.ClusterTimestamp, &id.AppSeq, &id.Attempt, &id.Seq}
	for i, p := range parts {
		if p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return ContainerID{}, fmt.Errorf("container id %q: part %d is not a number", s, i+1)
		}
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return ContainerID{}, fmt.Errorf("container id %q: %w", s, err)
		}
		*fields[i] = v
	}
	id.raw = s
	return id, nil
}

// FindContainerID returns the first valid container id embedded in s.
func FindContainerID(s string) (ContainerID, bool) {
	for _, m := range containerIDPattern.FindAllStringIndex(s, -1) {
		// Reject a match that continues with an id character: it would be a truncated id.
		if m[1] < len(s) && isIDChar(s[m[1]]) {
			continue
		}
		if id, err := ParseContainerID(s[m[0]:m[1]]); err == nil {
			return id, true
		}
	}
	return ContainerID{}, false
}

func isIDChar(b byte) bool { return b == '_' || (b >= '0' && b <= '9') }

// String returns the id as YARN prints it.
func (c ContainerID) String() string { return c.raw }

// ApplicationID returns application_<clusterTimestamp>_<appSeq> (4-digit minimum, as YARN prints).
func (c ContainerID) ApplicationID() string {
	return fmt.Sprintf("application_%d_%04d", c.ClusterTimestamp, c.AppSeq)
}

// IsAMContainer reports whether this is the first container of its attempt, which YARN always
// gives to the ApplicationMaster.
func (c ContainerID) IsAMContainer() bool { return c.Seq == 1 }

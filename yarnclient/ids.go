package yarnclient

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// YARN ids, as Hadoop prints them:
//
//	application_<clusterTimestamp>_<appSeq>                         application_1410901177871_0001
//	container_[e<epoch>_]<clusterTimestamp>_<appSeq>_<attempt>_<seq> container_e17_1410901177871_0001_01_000005
//
// The epoch (RM restarts with work-preserving recovery) is optional; the AM is seq 1 of its
// attempt. Numbers are zero-padded to a minimum width but may be longer.

// ErrInvalidID is returned (wrapped) for strings that are not YARN ids.
var ErrInvalidID = errors.New("invalid YARN id")

// ApplicationID identifies a YARN application.
type ApplicationID struct {
	ClusterTimestamp int64
	Seq              int64
}

// String prints the id the way YARN does.
func (a ApplicationID) String() string {
	return fmt.Sprintf("application_%d_%04d", a.ClusterTimestamp, a.Seq)
}

// ContainerID identifies a YARN container.
type ContainerID struct {
	Epoch            int64
	ClusterTimestamp int64
	AppSeq           int64
	Attempt          int64
	Seq              int64
}

// IsAM reports whether the container is its attempt's ApplicationMaster (always seq 1).
func (c ContainerID) IsAM() bool { return c.Seq == 1 }

// ApplicationID is the application the container belongs to.
func (c ContainerID) ApplicationID() ApplicationID {
	return ApplicationID{ClusterTimestamp: c.ClusterTimestamp, Seq: c.AppSeq}
}

// String prints the id the way YARN does (no epoch part when the epoch is 0).
func (c ContainerID) String() string {
	if c.Epoch > 0 {
		return fmt.Sprintf("container_e%02d_%d_%04d_%02d_%06d", c.Epoch, c.ClusterTimestamp, c.AppSeq, c.Attempt, c.Seq)
	}
	return fmt.Sprintf("container_%d_%04d_%02d_%06d", c.ClusterTimestamp, c.AppSeq, c.Attempt, c.Seq)
}

// ParseContainerID parses container_[e<epoch>_]<ts>_<appSeq>_<attempt>_<seq>.
func ParseContainerID(s string) (ContainerID, error) {
	parts := strings.Split(s, "_")
	if len(parts) < 5 || parts[0] != "container" {
		return ContainerID{}, fmt.Errorf("%w: container id %q", ErrInvalidID, s)
	}
	var id ContainerID
	rest := parts[1:]
	if strings.HasPrefix(rest[0], "e") {
		epoch, err := parseDecimal(rest[0][1:])
		if err != nil {
			return ContainerID{}, fmt.Errorf("%w: container id %q: epoch: %v", ErrInvalidID, s, err)
		}
		id.Epoch = epoch
		rest = rest[1:]
	}
	if len(rest) != 4 {
		return ContainerID{}, fmt.Errorf("%w: container id %q: want 4 numeric parts", ErrInvalidID, s)
	}
	fields := []*int64{&id.ClusterTimestamp, &id.AppSeq, &id.Attempt, &id.Seq}
	for i, p := range rest {
		v, err := parseDecimal(p)
		if err != nil {
			return ContainerID{}, fmt.Errorf("%w: container id %q: %v", ErrInvalidID, s, err)
		}
		*fields[i] = v
	}
	return id, nil
}

// ParseApplicationID parses application_<ts>_<seq>.
func ParseApplicationID(s string) (ApplicationID, error) {
	parts := strings.Split(s, "_")
	if len(parts) != 3 || parts[0] != "application" {
		return ApplicationID{}, fmt.Errorf("%w: application id %q", ErrInvalidID, s)
	}
	ts, err := parseDecimal(parts[1])
	if err != nil {
		return ApplicationID{}, fmt.Errorf("%w: application id %q: %v", ErrInvalidID, s, err)
	}
	seq, err := parseDecimal(parts[2])
	if err != nil {
		return ApplicationID{}, fmt.Errorf("%w: application id %q: %v", ErrInvalidID, s, err)
	}
	return ApplicationID{ClusterTimestamp: ts, Seq: seq}, nil
}

// parseDecimal accepts only ASCII digits (no sign, no spaces) that fit an int64.
func parseDecimal(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty number")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("not a number: %q", s)
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

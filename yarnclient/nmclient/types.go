package nmclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Container is one entry of GET /ws/v1/node/containers (NM ContainerInfo).
type Container struct {
	ID                  string    `json:"id"`
	State               string    `json:"state"`
	ExitCode            FlexInt64 `json:"exitCode"`
	User                string    `json:"user"`
	Diagnostics         string    `json:"diagnostics"`
	TotalMemoryNeededMB FlexInt64 `json:"totalMemoryNeededMB"`
	TotalVCoresNeeded   FlexInt64 `json:"totalVCoresNeeded"`
	ContainerLogsLink   string    `json:"containerLogsLink"`
	NodeID              string    `json:"nodeId"`
	ExecutionType       string    `json:"executionType"`
}

// FlexInt64 accepts a JSON number, a numeric string, or null/"" (as 0).
type FlexInt64 int64

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexInt64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*f = 0
			return nil
		}
		b = []byte(s)
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		// Jersey may print a long as a float ("1.0E3" is not seen, "1024.0" is possible).
		fv, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil {
			return fmt.Errorf("not an integer: %s", b)
		}
		v = int64(fv)
	}
	*f = FlexInt64(v)
	return nil
}

// containerList is the "container" member: an array or, for one element, a bare object.
type containerList []Container

// UnmarshalJSON implements json.Unmarshaler.
func (l *containerList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")), bytes.Equal(b, []byte(`""`)):
		*l = nil
		return nil
	case len(b) > 0 && b[0] == '{':
		var one Container
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = containerList{one}
		return nil
	default:
		var many []Container
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*l = many
		return nil
	}
}

// containersWrapper is the "containers" member: an object, or null/"" when there are none.
type containersWrapper struct {
	Container containerList `json:"container"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (w *containersWrapper) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		w.Container = nil
		return nil
	}
	type plain containersWrapper
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*w = containersWrapper(p)
	return nil
}

type containersResponse struct {
	Containers *containersWrapper `json:"containers"`
}

// DecodeContainers decodes a GET /ws/v1/node/containers body.
func DecodeContainers(body []byte) ([]Container, error) {
	var r containersResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode NM containers: %w", err)
	}
	if r.Containers == nil {
		return []Container{}, nil
	}
	out := []Container(r.Containers.Container)
	if out == nil {
		out = []Container{}
	}
	return out, nil
}

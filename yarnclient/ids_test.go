package yarnclient

import (
	"errors"
	"testing"
)

func TestParseContainerID(t *testing.T) {
	cases := []struct {
		in   string
		want ContainerID
		am   bool
	}{
		{"container_e17_1410901177871_0001_01_000005", ContainerID{17, 1410901177871, 1, 1, 5}, false},
		{"container_1410901177871_0001_02_000001", ContainerID{0, 1410901177871, 1, 2, 1}, true},
		{"container_e01_1700000000000_12345_01_1000001", ContainerID{1, 1700000000000, 12345, 1, 1000001}, false},
	}
	for _, c := range cases {
		got, err := ParseContainerID(c.in)
		if err != nil || got != c.want || got.IsAM() != c.am {
			t.Errorf("%s: %+v %v", c.in, got, err)
		}
		if got.String() != c.in {
			t.Errorf("String() = %s, want %s", got.String(), c.in)
		}
	}
	for _, bad := range []string{"", "container_", "container_e_1_1_1_1", "container_1_1_1", "application_1_1",
		"container_1_-1_01_000001", "container_1_1_01_00000x", "container_e1_1_1_1_1_1", "container_99999999999999999999_1_1_1"} {
		if _, err := ParseContainerID(bad); !errors.Is(err, ErrInvalidID) {
			t.Errorf("%q: want ErrInvalidID, got %v", bad, err)
		}
	}
	id, _ := ParseContainerID("container_e17_1410901177871_0001_01_000005")
	if id.ApplicationID().String() != "application_1410901177871_0001" {
		t.Fatal(id.ApplicationID())
	}
}

func TestParseApplicationID(t *testing.T) {
	a, err := ParseApplicationID("application_1410901177871_0042")
	if err != nil || a != (ApplicationID{1410901177871, 42}) || a.String() != "application_1410901177871_0042" {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := ParseApplicationID("application_1_x"); !errors.Is(err, ErrInvalidID) {
		t.Fatal(err)
	}
}

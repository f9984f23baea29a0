package main

import (
	"errors"
	"io/fs"
	"testing"
)

func TestDefaultMemoryLimit(t *testing.T) {
	const v2, v1 = "/v2/memory.max", "/v1/memory.limit_in_bytes"
	cases := []struct {
		name    string
		files   map[string]string
		want    int64
		wantErr bool
	}{
		{name: "cgroup v2 limit of 1 GiB", files: map[string]string{v2: "1073741824\n"}, want: 966367641},
		{name: "cgroup v2 without limit", files: map[string]string{v2: "max\n", v1: "1073741824"}, want: 0},
		{name: "cgroup v1 limit of 512 MiB", files: map[string]string{v1: "536870912\n"}, want: 483183820},
		{name: "cgroup v1 without limit", files: map[string]string{v1: "9223372036854771712\n"}, want: 0},
		{name: "no cgroup files", files: map[string]string{}, want: 0},
		{name: "unreadable limit is an error", files: map[string]string{v2: "lots"}, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(name string) ([]byte, error) {
				v, ok := c.files[name]
				if !ok {
					return nil, fs.ErrNotExist
				}
				return []byte(v), nil
			}
			got, err := defaultMemoryLimit(read, []string{v2, v1})
			if (err != nil) != c.wantErr || got != c.want {
				t.Fatalf("got %d, %v; want %d, error %v", got, err, c.want, c.wantErr)
			}
		})
	}
	if _, err := defaultMemoryLimit(func(string) ([]byte, error) { return nil, errors.New("EACCES") }, []string{v2}); err == nil {
		t.Fatal("a cgroup file that cannot be read must be reported")
	}
}

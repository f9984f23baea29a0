package main

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// memoryLimitShare is the part of the container's memory limit given to the Go runtime as
// its soft limit (GOMEMLIMIT) when GOMEMLIMIT is not set. The runtime counts only the memory
// it manages (heap, stacks, its own metadata); the kernel charges the container for more:
// pages the heap freed but has not yet returned, and any memory outside Go. With the soft
// limit at the hard limit, the GC would only start to work harder when the container is
// already about to be OOM-killed; the Go GC guide (go.dev/doc/gc-guide, "Suggested uses")
// advises leaving 5-10 % of headroom.
const memoryLimitShare = 0.9

// Where the kernel publishes a container's memory limit: cgroup v2's unified hierarchy, then
// cgroup v1's memory controller, as mounted in a container.
var cgroupMemoryLimitFiles = []string{
	"/sys/fs/cgroup/memory.max",
	"/sys/fs/cgroup/memory/memory.limit_in_bytes",
}

// unlimitedV1 is the smallest cgroup v1 limit_in_bytes meaning "no limit" (the kernel
// reports PAGE_COUNTER_MAX rounded to pages, just under 2^63).
const unlimitedV1 = 1 << 62

// defaultMemoryLimit is the soft memory limit for a process in a container limited to the
// limit published in one of files (read with readFile), or 0 when no file gives a limit.
func defaultMemoryLimit(readFile func(string) ([]byte, error), files []string) (int64, error) {
	for _, name := range files {
		raw, err := readFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, err
		}
		v := strings.TrimSpace(string(raw))
		if v == "max" {
			return 0, nil
		}
		limit, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, &fs.PathError{Op: "parse", Path: name, Err: err}
		}
		if limit <= 0 || limit >= unlimitedV1 {
			return 0, nil
		}
		return int64(float64(limit) * memoryLimitShare), nil
	}
	return 0, nil
}

// containerMemoryLimit is defaultMemoryLimit for this process.
func containerMemoryLimit() (int64, error) {
	return defaultMemoryLimit(os.ReadFile, cgroupMemoryLimitFiles)
}

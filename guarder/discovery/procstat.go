package discovery

import (
	"fmt"
	"strconv"
	"strings"
)

// Stat holds the fields of /proc/<pid>/stat the guarder uses.
type Stat struct {
	PID   int
	Comm  string
	State byte
	PPID  int
	PGID  int
	// Session is field 6: the session id, i.e. the pid of the session leader. YARN gives
	// every container a session of its own (setsid), and signals it as a group.
	Session    int
	UTimeTicks uint64
	STimeTicks uint64
	// StartTicks is field 22: the start time in clock ticks after boot. Together with the pid
	// it identifies a process for its whole life; a reused pid gets a later start time.
	StartTicks uint64
	RSSPages   int64
}

// ParseStat parses the content of /proc/<pid>/stat. The command name (field 2) may contain
// spaces and parentheses, so fields are counted from the last ')'.
func ParseStat(data string) (Stat, error) {
	open := strings.IndexByte(data, '(')
	closing := strings.LastIndexByte(data, ')')
	if open < 0 || closing < open {
		return Stat{}, fmt.Errorf("stat: no command name in %q", truncate(data))
	}
	var st Stat
	pid, err := strconv.Atoi(strings.TrimSpace(data[:open]))
	if err != nil {
		return Stat{}, fmt.Errorf("stat: bad pid: %w", err)
	}
	st.PID = pid
	st.Comm = data[open+1 : closing]
	// rest[0] is field 3 (state); field n is rest[n-3].
	rest := strings.Fields(data[closing+1:])
	if len(rest) < 22 {
		return Stat{}, fmt.Errorf("stat: %d fields after the command name, want at least 22", len(rest))
	}
	field := func(n int) string { return rest[n-3] }
	if len(field(3)) != 1 {
		return Stat{}, fmt.Errorf("stat: bad state %q", field(3))
	}
	st.State = field(3)[0]
	ints := []struct {
		n   int
		dst *int
	}{{4, &st.PPID}, {5, &st.PGID}, {6, &st.Session}}
	for _, f := range ints {
		v, err := strconv.Atoi(field(f.n))
		if err != nil {
			return Stat{}, fmt.Errorf("stat field %d: %w", f.n, err)
		}
		*f.dst = v
	}
	uints := []struct {
		n   int
		dst *uint64
	}{{14, &st.UTimeTicks}, {15, &st.STimeTicks}, {22, &st.StartTicks}}
	for _, f := range uints {
		v, err := strconv.ParseUint(field(f.n), 10, 64)
		if err != nil {
			return Stat{}, fmt.Errorf("stat field %d: %w", f.n, err)
		}
		*f.dst = v
	}
	rss, err := strconv.ParseInt(field(24), 10, 64)
	if err != nil {
		return Stat{}, fmt.Errorf("stat field 24: %w", err)
	}
	st.RSSPages = rss
	return st, nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

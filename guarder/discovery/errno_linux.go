package discovery

import "syscall"

// errESRCH is what reading /proc/<pid>/... returns when the process died mid-read.
var errESRCH error = syscall.ESRCH

package discovery

import (
	"path"
	"slices"
)

// launcherKind names a process of the NodeManager's launch chain. Such a process carries the
// container's id (argv, environment, working directory) but runs in the NM's session and
// process group; signalling it, or its group, hits the NM. doc.go cites where each shape
// comes from.
type launcherKind int

const (
	notLauncher launcherKind = iota
	// launcherContainerExecutor: the setuid container-executor binary. For a launch it forks;
	// the parent waits until the container ends, the child calls setsid() and execs
	// launch_container.sh.
	launcherContainerExecutor
	// launcherDockerExecutor: container-executor launching into the Docker runtime
	// (LAUNCH_DOCKER_CONTAINER, or --run-docker).
	launcherDockerExecutor
	// launcherDockerClient: the docker CLI that container-executor runs for the Docker runtime.
	launcherDockerClient
	// launcherDCEScript: DefaultContainerExecutor's default_container_executor.sh, which runs
	// default_container_executor_session.sh and waits; or the session script before it
	// execs "setsid /bin/bash launch_container.sh".
	launcherDCEScript
	// launcherLocalizer: the ContainerLocalizer JVM that downloads the container's resources
	// before launch.
	launcherLocalizer
)

// Values of container-executor's third argument (PrivilegedOperation.RunAsUserCommand).
const (
	runAsUserLaunchContainer       = "1"
	runAsUserLaunchDockerContainer = "4"
)

const localizerClass = "org.apache.hadoop.yarn.server.nodemanager.containermanager.localizer.ContainerLocalizer"

// classifyLauncher recognises the launch chain from argv alone. argv[0] is what the NM
// executed (possibly behind "nice -n N", which execs and so leaves no process of its own).
func classifyLauncher(argv []string) launcherKind {
	if len(argv) == 0 {
		return notLauncher
	}
	switch path.Base(argv[0]) {
	case "container-executor":
		// container-executor <run-as user> <user> <command> <app id> <container id> ...
		// or container-executor --run-docker <command file>.
		if slices.Contains(argv[1:], "--run-docker") || (len(argv) > 3 && argv[3] == runAsUserLaunchDockerContainer) {
			return launcherDockerExecutor
		}
		return launcherContainerExecutor
	case "docker":
		return launcherDockerClient
	}
	// DefaultContainerExecutor runs "bash <work dir>/default_container_executor.sh", which runs
	// "/bin/bash <work dir>/default_container_executor_session.sh".
	if isShell(argv[0]) {
		for _, a := range argv[1:] {
			if b := path.Base(a); b == "default_container_executor.sh" || b == "default_container_executor_session.sh" {
				return launcherDCEScript
			}
		}
	}
	if IsJava(argv) && slices.Contains(argv, localizerClass) {
		return launcherLocalizer
	}
	return notLauncher
}

func isShell(arg0 string) bool {
	switch path.Base(arg0) {
	case "bash", "sh":
		return true
	}
	return false
}

// docker reports whether the kind belongs to the Docker runtime.
func (k launcherKind) docker() bool {
	return k == launcherDockerExecutor || k == launcherDockerClient
}

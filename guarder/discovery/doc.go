// Package discovery finds the NodeManager's YARN containers in /proc and tells each
// container's own processes apart from the NM's launch chain.
//
// # How Hadoop builds a container's process tree
//
// Paths are relative to apache/hadoop; NM = hadoop-yarn-project/hadoop-yarn/
// hadoop-yarn-server/hadoop-yarn-server-nodemanager, J = NM/src/main/java/org/apache/hadoop/
// yarn/server/nodemanager, CE = NM/src/main/native/container-executor/impl. Commits are the
// versions read (the stored copies of the search index; the shapes below are the same on the
// 3.3 branch and trunk).
//
// LinuxContainerExecutor (every Kerberos cluster):
//   - J/containermanager/linux/runtime/DefaultLinuxContainerRuntime.java (3dcbbdc1d17a,
//     launchContainer): the argv is container-executor <run-as user> <user> 1
//     (RunAsUserCommand.LAUNCH_CONTAINER) <app id> <container id> <work dir>
//     <nmPrivate launch_container.sh> <tokens> <pid file> <local dirs> <log dirs>
//     <resources, e.g. cgroups=none>; later versions add --http | --https <keystore>
//     <truststore> after the tokens (CE/container-executor.c 041e1abb2034,
//     launch_container_as_user takes https, keystore_file, truststore_file; CE/main.c parses
//     "--https"). The environment is the container's launch environment, CONTAINER_ID
//     included (executePrivilegedOperation(..., container.getLaunchContext().getEnvironment(), ...)).
//   - J/containermanager/linux/privileged/PrivilegedOperationExecutor.java (1dc5c7ebfce6,
//     getPrivilegedOperationExecutionCommand, executePrivilegedOperation): [prefix commands]
//     <yarn.nodemanager.linux-container-executor.path, default $HADOOP_YARN_HOME/bin/
//     container-executor> <args>, run through Shell.ShellCommandExecutor: a plain child of the
//     NM, no setsid, so it sits in the NM's session and process group.
//   - J/containermanager/linux/privileged/PrivilegedOperation.java (059caf998919):
//     RunAsUserCommand LAUNCH_CONTAINER(1), LAUNCH_DOCKER_CONTAINER(4); RUN_DOCKER_CMD is
//     "--run-docker".
//   - CE/container-executor.c (041e1abb2034, launch_container_as_user): fork(); the parent
//     waits (wait_and_write_exit_code) until the child ends and writes <pid file>.exitcode;
//     the child calls setsid(), writes its pid to the pid file and to the cgroup tasks files
//     (resources "cgroups=..."), creates the directories and execlp()s the copy of
//     launch_container.sh in the work dir. signal_container_as_user signals kill(-pid, sig):
//     the session's process group. launch_docker_container_as_user instead forks and execvp()s
//     the docker client without setsid and waits for the container's pid, which lives in the
//     Docker container's PID namespace.
//
// DefaultContainerExecutor:
//   - J/DefaultContainerExecutor.java (b0bcb4e728e9, launchContainer, buildCommandExecutor,
//     UnixLocalWrapperScriptBuilder): the NM runs "bash <work dir>/default_container_executor.sh"
//     with the container's environment, in the work dir, as a plain child (no setsid). The
//     wrapper runs /bin/bash "<work dir>/default_container_executor_session.sh", waits, and
//     writes <pid file>.exitcode; the session script writes $$ to the pid file and runs
//     "exec setsid /bin/bash <work dir>/launch_container.sh" ("exec" alone when setsid is not
//     available). setsid(1) calls setsid() in place (the script does not lead a group), so
//     the pid in the pid file leads the container's session.
//   - J/ContainerExecutor.java (c6f3756d9661, getRunCommand): "bash <script>", behind
//     "nice -n <n>" when yarn.nodemanager.container-executor.os.sched.priority.adjustment is
//     set (nice execs, leaving no process of its own).
//   - The single-script wrapper of older 2.x releases wrote $$ to the pid file and ran
//     "exec setsid /bin/bash launch_container.sh" itself: nothing waits outside the session.
//
// The launch script: J/containermanager/launcher/ContainerLaunch.java (02205fa79720 and later,
// UnixShellScriptBuilder.command): launch_container.sh exports the environment and ends with
// exec /bin/bash -c "<the AM's command>". The command carries redirections (1><log dir>/stdout
// 2><log dir>/stderr), so bash forks the JVM as a child instead of exec'ing it: the session
// leader is that bash, the JVM its child. sanitizeEnv puts CONTAINER_ID into the environment
// (the same map the executors pass to their launch processes).
//
// # Rules
//
//   - Processes are tied to a container by its cgroup path, CONTAINER_ID, argv, cwd, or a
//     marked ancestor (marker.go).
//   - The launch chain is set apart (splitLaunchChain): command lines shaped like
//     container-executor, the docker client, the DCE wrapper or session script, or the
//     ContainerLocalizer JVM (launch.go), and any ancestor of the container's session leader
//     outside its session, whatever its name. They are never signalled.
//   - The container's group is the session YARN created: its leader is the outermost member
//     that leads a session (pid == sid), the pid YARN wrote to the pid file.
//   - The group may be signalled as a whole only when every live process in it is a member
//     (exclusiveGroup); otherwise every signal goes to the verified members one by one.
//     After the leader exits, orphans keep its process group, which is then used on the
//     same condition. The check cannot go stale in the NM's favour: setpgid(2) moves a process
//     only into a group of its own session, so nothing outside the container's session can
//     join the group between the scan and the signal, and a group id is not reused while any
//     process is in the group.
//   - A container whose only visible processes are its launch chain is reported Unreachable:
//     dockerRuntime when the chain shows the Docker runtime (its processes are in another
//     PID namespace, nothing here may be signalled), notLaunched otherwise. Nothing is
//     guessed.
//
// Known limit: a container-executor installed under another name is recognised only while
// its setsid child lives (as the child's ancestor outside the session); it exits as soon as
// that child does.
package discovery

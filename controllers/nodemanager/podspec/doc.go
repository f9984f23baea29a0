// Package podspec builds, purely, the objects the lifecycle controller creates: the
// NodeManager pod of one node (Build) and the YarnGraceful exclude-file Job (ExcludeJob).
//
// # What the NodeManager image and its Hadoop configuration must do
//
// The pod gets the StaticIP through the CNI annotation, its short hostname, and a hostAliases
// entry "<address> <fqdn> <short>" so the FQDN resolves locally even before DNS does. No
// spec.subdomain is set: it needs a headless Service and yields a cluster-DNS name
// (<host>.<subdomain>.<ns>.svc...), never the StaticIP's prepared FQDN. The
// NodeId is host:rpcPort and must be the StaticIP's FQDN with the pinned RPC port, otherwise
// YARN sees a new node at every restart. Hadoop takes the NodeId host from
// yarn.nodemanager.address when yarn.nodemanager.bind-host is also set
// (ContainerManagerImpl.serviceStart: hostOverride = nmAddress.split(":")[0]), and its
// Configuration expands ${env.NAME} from the environment (Configuration.substituteVars), so
// the yarn-site.xml in the Hadoop ConfigMap should say:
//
//	yarn.nodemanager.bind-host        0.0.0.0
//	yarn.nodemanager.hostname         ${env.NM_FQDN}
//	yarn.nodemanager.address          ${env.NM_FQDN}:${env.NM_RPC_PORT}
//	yarn.nodemanager.webapp.address   ${env.NM_FQDN}:${env.NM_HTTP_PORT}
//	yarn.nodemanager.keytab           /etc/security/keytabs/nm.keytab
//	yarn.nodemanager.principal        nm/_HOST@REALM
//
// The same values are also passed as -D system properties in YARN_NODEMANAGER_OPTS for
// images whose entrypoint renders yarn-site.xml from them. Listening on 0.0.0.0 (bind-host)
// while advertising the FQDN is what "pin yarn.nodemanager.address to 0.0.0.0:<rpc>" means in
// practice: with a bare 0.0.0.0 address Hadoop would advertise the canonical local host name.
//
// The keytab Secret of the StaticIP is mounted read-only (mode 0400) at /etc/security/keytabs,
// so the NodeManager must run as root or the image must copy it; the Hadoop ConfigMap goes
// to /etc/hadoop/conf (HADOOP_CONF_DIR) and krb5.conf to /etc/krb5.conf.
//
// # The guarder sidecar
//
// It sees the NodeManager's processes through shareProcessNamespace. YARN containers run as
// the submitting users (LinuxContainerExecutor), so the guarder needs CAP_KILL to signal them.
// With spec.guarder.containerIdentification Cgroup (the default) that is all: container
// cgroups name the containers and /proc/<pid>/cgroup is world-readable. With
// ProcessInspection it also gets CAP_SYS_PTRACE to read other users' /proc/<pid>/environ and
// cwd, which in a shared PID namespace also opens the NodeManager's /proc/<pid>/root (its
// keytab). Linux grants added capabilities only to root processes (non-root containers get no
// ambient capabilities), so the sidecar runs as UID 0 (runAsNonRoot false) with every other
// capability dropped, no privilege escalation and a read-only root file system.
//
// Every pod and container built here sets seccompProfile RuntimeDefault, at pod and at
// container level.
package podspec

package podspec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// LabelExcludeJob marks the pool's exclude-file Jobs (YarnGraceful); AnnotationExcludeSeq
// numbers them, so the latest is known even when two are created within one second.
const (
	LabelExcludeJob      = "elasticyarn.io/exclude-job"
	AnnotationExcludeSeq = "elasticyarn.io/exclude-seq"
)

const (
	clientKeytabDir = "/etc/security/operator"
	volClientKeytab = "operator-keytab"
	// Long enough that the latest Job, which records what the exclude file holds for the
	// pool, outlives any drain (timeout <= 48h); a vanished Job only means one more
	// idempotent run.
	excludeJobTTL     = int32(49 * 3600)
	excludeJobBackoff = int32(3)
	envExcludeHosts   = "EXCLUDE_HOSTS"
	envIncludeHosts   = "INCLUDE_HOSTS"
)

// The exclude file is yarn.resourcemanager.nodes.exclude-path on the RM hosts; the pool's
// spec.decommission.excludeFile must be that same file as the Job sees it: an hdfs:// (or
// viewfs://) URL, or a local path on one of the template's volumes that is the RM's file
// (e.g. a shared NFS volume). It is plain text, one host name (the NodeId's host, no port) per
// line; lines of other pools and hand-written ones are kept.
//
// One Job at a time per pool sets the pool's hosts in the file to exactly EXCLUDE_HOSTS
// (INCLUDE_HOSTS are the pool's other hosts, removed), then refreshes: gracefully with -g
// when it excluded anything, so the RM moves those nodes to DECOMMISSIONING and waits for
// their applications; plainly otherwise, which recommissions removed hosts. Hosts that are
// still excluded when their NodeManager registers would be refused, so removal matters as
// much as addition. Pools sharing one file never run Jobs at the same moment only if they
// are few; a cluster-wide lock is a known gap.
const excludeScript = `set -eu
f="$EXCLUDE_FILE"; tmp=$(mktemp)
if [ -n "${OPERATOR_PRINCIPAL:-}" ]; then kinit -kt "$OPERATOR_KEYTAB" "$OPERATOR_PRINCIPAL"; fi
case "$f" in
  hdfs://*|viewfs://*) hdfs dfs -cat "$f" > "$tmp" 2>/dev/null || : > "$tmp" ;;
  *) cat "$f" > "$tmp" 2>/dev/null || : > "$tmp" ;;
esac
for h in $INCLUDE_HOSTS $EXCLUDE_HOSTS; do
  grep -vxF "$h" "$tmp" > "$tmp.new" || true; mv "$tmp.new" "$tmp"
done
for h in $EXCLUDE_HOSTS; do echo "$h" >> "$tmp"; done
case "$f" in
  hdfs://*|viewfs://*) hdfs dfs -put -f "$tmp" "$f" ;;
  *) cat "$tmp" > "$f" ;;
esac
if [ -n "$EXCLUDE_HOSTS" ]; then
  exec yarn rmadmin -refreshNodes -g "$TIMEOUT_SECONDS" -server
fi
exec yarn rmadmin -refreshNodes
`

// ExcludeJobName is the name of the pool's seq-th exclude Job: deterministic, so a retried
// reconcile on a stale cache cannot start a second Job for the same step.
func ExcludeJobName(pool string, seq int64) string {
	return fmt.Sprintf("%s-exclude-%d", truncateWithHash(pool, 30), seq)
}

// ExcludeJobSeq reads a Job's sequence number (0 when missing).
func ExcludeJobSeq(job *batchv1.Job) int64 {
	n, _ := strconv.ParseInt(job.Annotations[AnnotationExcludeSeq], 10, 64)
	return n
}

// ExcludeJob builds the Job that sets the pool's hosts in the exclude file to exactly
// exclude (include are the pool's other hosts) and refreshes the RM. timeout is the
// graceful decommission timeout passed to -g.
func ExcludeJob(enm *v1alpha1.ElasticNodeManager, seq int64, exclude, include []string, timeout time.Duration) *batchv1.Job {
	secs := int64(timeout / time.Second)
	if secs < 1 {
		secs = 1
	}
	env := []corev1.EnvVar{
		{Name: envExcludeHosts, Value: strings.Join(sortedCopy(exclude), " ")},
		{Name: envIncludeHosts, Value: strings.Join(sortedCopy(include), " ")},
		{Name: "EXCLUDE_FILE", Value: enm.Spec.Decommission.ExcludeFile},
		{Name: "TIMEOUT_SECONDS", Value: fmt.Sprint(secs)},
	}
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	vols, mounts = appendConfigVolumes(enm, vols, mounts)
	if enm.Spec.YARN.HadoopConfigMap != "" {
		env = append(env, corev1.EnvVar{Name: "HADOOP_CONF_DIR", Value: HadoopConfDir})
	}
	if k := enm.Spec.YARN.Kerberos; k != nil {
		// rmadmin needs an admin (yarn.admin.acl): the operator's own principal.
		mode := keytabMode
		vols = append(vols, corev1.Volume{Name: volClientKeytab, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
			SecretName: k.ClientKeytab.Name, DefaultMode: &mode,
			Items: []corev1.KeyToPath{{Key: k.ClientKeytab.Key, Path: "keytab"}},
		}}})
		mounts = append(mounts, corev1.VolumeMount{Name: volClientKeytab, MountPath: clientKeytabDir, ReadOnly: true})
		env = append(env,
			corev1.EnvVar{Name: "OPERATOR_PRINCIPAL", Value: k.ClientPrincipal},
			corev1.EnvVar{Name: "OPERATOR_KEYTAB", Value: clientKeytabDir + "/keytab"},
			corev1.EnvVar{Name: "KRB5_CONFIG", Value: Krb5ConfPath})
	}
	// The template's volumes carry a local exclude file (a shared volume), if any.
	vols = append(vols, enm.Spec.Template.Volumes...)
	mounts = append(mounts, enm.Spec.Template.VolumeMounts...)

	backoff, ttl := excludeJobBackoff, excludeJobTTL
	labels := map[string]string{v1alpha1.LabelPool: enm.Name, LabelExcludeJob: "true"}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: ExcludeJobName(enm.Name, seq), Namespace: enm.Namespace, Labels: labels,
			Annotations:     map[string]string{AnnotationExcludeSeq: strconv.FormatInt(seq, 10)},
			OwnerReferences: []metav1.OwnerReference{ownerRef(enm)},
		},
		Spec: batchv1.JobSpec{
			BackoffLimit:            &backoff,
			TTLSecondsAfterFinished: &ttl,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy:      corev1.RestartPolicyNever,
					SecurityContext:    podSecurityContext(),
					ServiceAccountName: enm.Spec.Template.ServiceAccountName,
					ImagePullSecrets:   enm.Spec.Template.ImagePullSecrets,
					Containers: []corev1.Container{{
						Name:            "rmadmin",
						Image:           enm.Spec.Template.Image,
						ImagePullPolicy: enm.Spec.Template.ImagePullPolicy,
						Command:         []string{"/bin/sh", "-c", excludeScript},
						Env:             env,
						VolumeMounts:    mounts,
						SecurityContext: seccompOnly(),
					}},
					Volumes: vols,
				},
			},
		},
	}
}

// ExcludedHosts reads back the hosts an exclude Job put in the file.
func ExcludedHosts(job *batchv1.Job) []string {
	for _, c := range job.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == envExcludeHosts {
				return strings.Fields(e.Value)
			}
		}
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

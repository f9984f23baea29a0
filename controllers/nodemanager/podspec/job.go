package podspec

import (
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// JobKind says whether a YarnGraceful Job takes a host out of YARN or brings it back.
type JobKind string

const (
	// JobDecommission adds the host to the exclude file and runs
	// `yarn rmadmin -refreshNodes -g <timeout> -server` (graceful, the client waits).
	JobDecommission JobKind = "decom"
	// JobRecommission removes the host and runs `yarn rmadmin -refreshNodes`.
	JobRecommission JobKind = "recom"
)

const (
	clientKeytabDir = "/etc/security/operator"
	volClientKeytab = "operator-keytab"
	jobTTL          = int32(3600)
	jobBackoffLimit = int32(3)
	labelJobKind    = "elasticyarn.io/job"
)

// The exclude file the RM reads is yarn.resourcemanager.nodes.exclude-path on the RM hosts;
// spec.decommission.excludeFile must be that same file as the Job sees it: an hdfs:// (or
// viewfs://) URL, or a local path on one of the template's volumes that is the RM's file
// (e.g. a shared NFS volume). The file is plain text, one host name per line (the NodeId's
// host, without port). Two Jobs editing it at once could lose one edit; the controller runs
// at most one Job per pod, and the read-modify-write window is short, but concurrent drains
// of many nodes are a known gap (a per-pool lock Lease would close it).
const excludeScript = `set -eu
f="$EXCLUDE_FILE"; h="$NM_HOST"; tmp=$(mktemp)
if [ -n "${OPERATOR_PRINCIPAL:-}" ]; then kinit -kt "$OPERATOR_KEYTAB" "$OPERATOR_PRINCIPAL"; fi
case "$f" in
  hdfs://*|viewfs://*) hdfs dfs -cat "$f" > "$tmp" 2>/dev/null || : > "$tmp" ;;
  *) cat "$f" > "$tmp" 2>/dev/null || : > "$tmp" ;;
esac
if [ "$ACTION" = decom ]; then
  grep -qxF "$h" "$tmp" || echo "$h" >> "$tmp"
else
  grep -vxF "$h" "$tmp" > "$tmp.new" || true; mv "$tmp.new" "$tmp"
fi
case "$f" in
  hdfs://*|viewfs://*) hdfs dfs -put -f "$tmp" "$f" ;;
  *) cat "$tmp" > "$f" ;;
esac
if [ "$ACTION" = decom ]; then
  exec yarn rmadmin -refreshNodes -g "$TIMEOUT_SECONDS" -server
else
  exec yarn rmadmin -refreshNodes
fi
`

// DecommissionJob builds the YarnGraceful Job of one NodeManager pod. timeout is the
// graceful decommission timeout (until the pod's drain deadline).
func DecommissionJob(enm *v1alpha1.ElasticNodeManager, pod *corev1.Pod, fqdn string, kind JobKind, timeout time.Duration) *batchv1.Job {
	secs := int64(timeout / time.Second)
	if secs < 1 {
		secs = 1
	}
	env := []corev1.EnvVar{
		{Name: "ACTION", Value: string(kind)},
		{Name: "NM_HOST", Value: fqdn},
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

	backoff, ttl := jobBackoffLimit, jobTTL
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:      JobName(pod.Name, string(kind)),
			Namespace: pod.Namespace,
			Labels: map[string]string{
				v1alpha1.LabelPool: enm.Name,
				v1alpha1.LabelNode: pod.Labels[v1alpha1.LabelNode],
				labelJobKind:       string(kind),
			},
			OwnerReferences: []metav1.OwnerReference{ownerRef(enm)},
		},
		Spec: batchv1.JobSpec{
			BackoffLimit:            &backoff,
			TTLSecondsAfterFinished: &ttl,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{v1alpha1.LabelPool: enm.Name, labelJobKind: string(kind)}},
				Spec: corev1.PodSpec{
					RestartPolicy:      corev1.RestartPolicyNever,
					ServiceAccountName: enm.Spec.Template.ServiceAccountName,
					ImagePullSecrets:   enm.Spec.Template.ImagePullSecrets,
					Containers: []corev1.Container{{
						Name:            "rmadmin",
						Image:           enm.Spec.Template.Image,
						ImagePullPolicy: enm.Spec.Template.ImagePullPolicy,
						Command:         []string{"/bin/sh", "-c", excludeScript},
						Env:             env,
						VolumeMounts:    mounts,
					}},
					Volumes: vols,
				},
			},
		},
	}
}

package podspec

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Mount points inside the NodeManager container.
const (
	KeytabDir             = "/etc/security/keytabs"
	KeytabFile            = "nm.keytab"
	HadoopConfDir         = "/etc/hadoop/conf"
	Krb5ConfPath          = "/etc/krb5.conf"
	GuarderTokenDir       = "/var/run/secrets/elastic-yarn/guarder"
	volKeytab             = "nm-keytab"
	volHadoopConf         = "hadoop-conf"
	volKrb5               = "krb5-conf"
	volGuarderToken       = "guarder-token"
	keytabMode      int32 = 0o400
)

// identityVolumes are the keytab, Hadoop configuration and krb5.conf volumes with their
// NodeManager mounts; each is added only when the spec names its source.
func identityVolumes(enm *v1alpha1.ElasticNodeManager, sip *v1alpha1.StaticIP) ([]corev1.Volume, []corev1.VolumeMount) {
	var vols []corev1.Volume
	var mounts []corev1.VolumeMount
	if ref := sip.Spec.KeytabSecret; ref != nil {
		mode := keytabMode
		vols = append(vols, corev1.Volume{Name: volKeytab, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
			SecretName: ref.Name, DefaultMode: &mode,
			Items: []corev1.KeyToPath{{Key: ref.Key, Path: KeytabFile}},
		}}})
		mounts = append(mounts, corev1.VolumeMount{Name: volKeytab, MountPath: KeytabDir, ReadOnly: true})
	}
	vols, mounts = appendConfigVolumes(enm, vols, mounts)
	return vols, mounts
}

// appendConfigVolumes adds the Hadoop ConfigMap and krb5.conf (shared by pods and Jobs).
func appendConfigVolumes(enm *v1alpha1.ElasticNodeManager, vols []corev1.Volume, mounts []corev1.VolumeMount) ([]corev1.Volume, []corev1.VolumeMount) {
	if cm := enm.Spec.YARN.HadoopConfigMap; cm != "" {
		vols = append(vols, corev1.Volume{Name: volHadoopConf, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: cm},
		}}})
		mounts = append(mounts, corev1.VolumeMount{Name: volHadoopConf, MountPath: HadoopConfDir, ReadOnly: true})
	}
	if k := enm.Spec.YARN.Kerberos; k != nil {
		vols = append(vols, corev1.Volume{Name: volKrb5, VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: k.Krb5Conf.Name},
			Items:                []corev1.KeyToPath{{Key: k.Krb5Conf.Key, Path: "krb5.conf"}},
		}}})
		mounts = append(mounts, corev1.VolumeMount{Name: volKrb5, MountPath: Krb5ConfPath, SubPath: "krb5.conf", ReadOnly: true})
	}
	return vols, mounts
}

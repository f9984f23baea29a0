package v1alpha1

// YARNSpec says which YARN cluster the NodeManagers join and how the operator talks to it.
type YARNSpec struct {
	// clusterName is the YARN cluster's name, used in labels, metrics and Events.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	ClusterName string `json:"clusterName"`

	// resourceManagers are the web addresses of the ResourceManagers
	// (yarn.resourcemanager.webapp.address or .https.address), e.g. "https://rm1.example.com:8090".
	// With RM HA list every RM: the operator finds the active one through
	// /ws/v1/cluster/info and never follows a standby's redirect.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=5
	// +kubebuilder:validation:items:MaxLength=512
	// +kubebuilder:validation:items:XValidation:rule="isURL(self) && (url(self).getScheme() == 'http' || url(self).getScheme() == 'https')",message="each resourceManagers entry must be an http:// or https:// URL such as https://rm1.example.com:8090"
	// +listType=set
	ResourceManagers []string `json:"resourceManagers"`

	// nodeLabel is the YARN node label (partition) every NodeManager of this pool carries.
	// The operator creates it if missing. Keep ApplicationMasters and streaming jobs off it
	// with the RM settings described in docs/operations.md.
	// +optional
	NodeLabel *NodeLabelSpec `json:"nodeLabel,omitempty"`

	// nodeManagerPorts are the ports the NodeManager listens on. The RPC port is pinned
	// because it is part of the YARN NodeId (host:rpcPort); the default ":0" would give the
	// node a new identity at every restart.
	// +kubebuilder:default={}
	// +optional
	NodeManagerPorts NodeManagerPorts `json:"nodeManagerPorts,omitempty"`

	// hadoopConfigMap is a ConfigMap holding the Hadoop client configuration
	// (core-site.xml, yarn-site.xml, ...), mounted into NodeManager pods at HADOOP_CONF_DIR.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	HadoopConfigMap string `json:"hadoopConfigMap,omitempty"`

	// kerberos, when set, makes the operator authenticate to the RM with SPNEGO and makes
	// every NodeManager use the keytab of its StaticIP. Leave unset only for clusters with
	// hadoop.security.authentication=simple.
	// +optional
	Kerberos *KerberosSpec `json:"kerberos,omitempty"`
}

// NodeLabelSpec is a YARN node label (partition).
type NodeLabelSpec struct {
	// name of the YARN node label.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][A-Za-z0-9_-]*$`
	Name string `json:"name"`

	// exclusive partitions run only requests that ask for the label; non-exclusive ones lend
	// idle capacity to DEFAULT-partition requests, which is what borrowing idle capacity
	// usually wants. Only applied when the operator creates the label.
	// +kubebuilder:default=false
	// +optional
	Exclusive bool `json:"exclusive,omitempty"`
}

// NodeManagerPorts are the NodeManager's listening ports.
type NodeManagerPorts struct {
	// rpc is yarn.nodemanager.address's port, part of the NodeId.
	// +kubebuilder:validation:Minimum=1024
	// +kubebuilder:validation:Maximum=65535
	// +kubebuilder:default=8041
	// +optional
	RPC int32 `json:"rpc,omitempty"`

	// http is yarn.nodemanager.webapp.address's port.
	// +kubebuilder:validation:Minimum=1024
	// +kubebuilder:validation:Maximum=65535
	// +kubebuilder:default=8042
	// +optional
	HTTP int32 `json:"http,omitempty"`
}

// KerberosSpec is what a secure YARN cluster needs.
// +kubebuilder:validation:XValidation:rule="self.clientPrincipal.endsWith('@' + self.realm)",message="clientPrincipal must be in the configured realm (end with @<realm>)"
type KerberosSpec struct {
	// realm is the Kerberos realm, e.g. EXAMPLE.COM.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	// +kubebuilder:validation:Pattern=`^[A-Z0-9][A-Z0-9.-]*$`
	Realm string `json:"realm"`

	// krb5Conf is the ConfigMap key holding krb5.conf, used by the operator and mounted into
	// NodeManager pods at /etc/krb5.conf.
	Krb5Conf ConfigMapKeyRef `json:"krb5Conf"`

	// clientPrincipal is the operator's own principal for SPNEGO to the RM, e.g.
	// "yarn-operator@EXAMPLE.COM". Label changes need it in yarn.admin.acl.
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=512
	ClientPrincipal string `json:"clientPrincipal"`

	// clientKeytab is the Secret key holding the keytab of clientPrincipal. The operator
	// reads it in memory only; it is never logged or copied.
	ClientKeytab SecretKeyRef `json:"clientKeytab"`

	// nodeManagerPrincipals are the principals every StaticIP keytab must hold; "{fqdn}" is
	// replaced by the StaticIP's FQDN and the realm is appended.
	// +kubebuilder:default={"nm/{fqdn}","HTTP/{fqdn}"}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MaxLength=255
	// +kubebuilder:validation:items:XValidation:rule="self.contains('{fqdn}') && !self.contains('@')",message="each nodeManagerPrincipals entry must contain {fqdn} and no realm, e.g. nm/{fqdn}"
	// +listType=set
	// +optional
	NodeManagerPrincipals []string `json:"nodeManagerPrincipals,omitempty"`
}

package staticip_test

import (
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func clientMergeFrom(sip *v1alpha1.StaticIP) client.Patch { return client.MergeFrom(sip.DeepCopy()) }

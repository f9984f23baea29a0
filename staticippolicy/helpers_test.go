package staticippolicy_test

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

var t0 = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

type sipOpt func(*v1alpha1.StaticIP)

func sip(name string, opts ...sipOpt) v1alpha1.StaticIP {
	s := v1alpha1.StaticIP{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", CreationTimestamp: metav1.NewTime(t0)},
		Spec:       v1alpha1.StaticIPSpec{Address: "10.0.0.1", FQDN: name + ".example.test"},
		Status:     v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPAvailable},
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func phase(p v1alpha1.StaticIPPhase) sipOpt {
	return func(s *v1alpha1.StaticIP) { s.Status.Phase = p }
}

func lastNode(n string) sipOpt { return func(s *v1alpha1.StaticIP) { s.Status.LastNodeName = n } }

func boundTo(pool, pod, node string) sipOpt {
	return func(s *v1alpha1.StaticIP) {
		s.Status.Phase = v1alpha1.StaticIPBound
		s.Status.Binding = &v1alpha1.StaticIPBinding{Pool: pool, PodName: pod, NodeName: node, Since: metav1.NewTime(t0)}
	}
}

func keytabCondition(status metav1.ConditionStatus) sipOpt {
	return func(s *v1alpha1.StaticIP) {
		s.Status.Conditions = append(s.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionKeytabValid, Status: status, Reason: "Test"})
	}
}

func address(a string) sipOpt { return func(s *v1alpha1.StaticIP) { s.Spec.Address = a } }

func namespace(ns string) sipOpt { return func(s *v1alpha1.StaticIP) { s.Namespace = ns } }

func created(d time.Duration) sipOpt {
	return func(s *v1alpha1.StaticIP) { s.CreationTimestamp = metav1.NewTime(t0.Add(d)) }
}

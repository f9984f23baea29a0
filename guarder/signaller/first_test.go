package signaller_test

import (
	"syscall"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

func TestFirstSignal(t *testing.T) {
	java := &discovery.Process{Argv: []string{"/usr/lib/jvm/bin/java", "-Xmx1g", "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend"}}
	python := &discovery.Process{Argv: []string{"/usr/bin/python3", "task.py"}}
	pwr := signaller.First{Signal: syscall.SIGPWR, Target: signaller.TargetProcess}
	term := signaller.First{Signal: syscall.SIGTERM, Target: signaller.TargetGroup}
	tests := []struct {
		name   string
		policy signaller.Policy
		c      discovery.Container
		want   signaller.First
	}{
		{"Graceful: JVM with SIGPWR handler", signaller.PolicyGraceful, discovery.Container{Main: java, HandlesSIGPWR: true}, pwr},
		{"Graceful: JVM without handler", signaller.PolicyGraceful, discovery.Container{Main: java}, term},
		{"Graceful: handler but not a JVM", signaller.PolicyGraceful, discovery.Container{Main: python, HandlesSIGPWR: true}, term},
		{"Graceful: no main process", signaller.PolicyGraceful, discovery.Container{HandlesSIGPWR: true}, term},
		{"TermOnly: JVM with SIGPWR handler", signaller.PolicyTermOnly, discovery.Container{Main: java, HandlesSIGPWR: true}, term},
		{"TermOnly: JVM without handler", signaller.PolicyTermOnly, discovery.Container{Main: java}, term},
		// New resolves the zero value; an unresolved or unknown policy must not mean SIGPWR.
		{"empty policy", "", discovery.Container{Main: java, HandlesSIGPWR: true}, term},
		{"unknown policy", "termonly", discovery.Container{Main: java, HandlesSIGPWR: true}, term},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := signaller.FirstSignal(tt.policy, tt.c)
			if got != tt.want {
				t.Fatalf("FirstSignal = %+v, want %+v", got, tt.want)
			}
			if got.Graceful() != (got.Signal == syscall.SIGPWR) {
				t.Fatalf("Graceful() = %t for %v", got.Graceful(), got.Signal)
			}
			if got.Signal == syscall.SIGPWR && got.Target == signaller.TargetGroup {
				t.Fatal("SIGPWR to a process group would kill the bash wrapper")
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		in      string
		want    signaller.Policy
		wantErr bool
	}{
		{"Graceful", signaller.PolicyGraceful, false},
		{"TermOnly", signaller.PolicyTermOnly, false},
		{"termonly", "", true},
		{"", "", true},
		{"SIGTERM", "", true},
		{" TermOnly", "", true},
	}
	for _, tt := range tests {
		got, err := signaller.ParsePolicy(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParsePolicy(%q) = %q, %v; want %q, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

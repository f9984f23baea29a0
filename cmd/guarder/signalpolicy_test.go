package main

import (
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

func TestParseFlagsSignalPolicy(t *testing.T) {
	tests := []struct {
		args    []string
		want    signaller.Policy
		wantErr bool
	}{
		{nil, signaller.PolicyGraceful, false},
		{[]string{"--signal-policy=Graceful"}, signaller.PolicyGraceful, false},
		{[]string{"--signal-policy=TermOnly"}, signaller.PolicyTermOnly, false},
		{[]string{"-signal-policy", "TermOnly"}, signaller.PolicyTermOnly, false},
		// What the podspec would pass if it forgot its default: must not silently mean Graceful.
		{[]string{"--signal-policy="}, "", true},
		{[]string{"--signal-policy=termonly"}, "", true},
		{[]string{"--signal-policy=SIGTERM"}, "", true},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.args)
		if tt.wantErr {
			if err == nil {
				t.Errorf("%v accepted as %q", tt.args, o.signalPolicy)
				continue
			}
			// The message must name the flag and the accepted values.
			for _, want := range []string{"-signal-policy", "Graceful", "TermOnly"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%v: error %q does not mention %s", tt.args, err, want)
				}
			}
			continue
		}
		if err != nil || o.signalPolicy != tt.want {
			t.Errorf("%v: policy %q err %v, want %q", tt.args, o.signalPolicy, err, tt.want)
		}
	}
}

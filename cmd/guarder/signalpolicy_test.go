package main

import (
	"strings"
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
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

// TestSignalPolicyFromTheEnvironment: the operator sets the policy through
// contract.EnvSignalPolicy; the flag wins over it, and a bad value fails like a bad flag.
func TestSignalPolicyFromTheEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env     string
		args    []string
		want    signaller.Policy
		wantErr bool
	}{
		{"TermOnly", nil, signaller.PolicyTermOnly, false},
		{"Graceful", nil, signaller.PolicyGraceful, false},
		{"TermOnly", []string{"--signal-policy=Graceful"}, signaller.PolicyGraceful, false},
		{"termonly", nil, "", true},
		{"", nil, "", true},
	} {
		t.Setenv(contract.EnvSignalPolicy, tc.env)
		o, err := parseFlags(tc.args)
		if tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), contract.EnvSignalPolicy) {
				t.Errorf("env %q: %v, want an error naming %s", tc.env, err, contract.EnvSignalPolicy)
			}
			continue
		}
		if err != nil || o.signalPolicy != tc.want {
			t.Errorf("env %q args %v: %q %v, want %q", tc.env, tc.args, o.signalPolicy, err, tc.want)
		}
	}
}

package signaller

import "fmt"

// Policy says whether the graceful signal (SIGPWR) may be used at all. It mirrors
// spec.guarder.signalPolicy of the API; the guarder keeps its own type so the sidecar does not
// depend on the operator's API package, and the podspec tests check that the two agree.
type Policy string

const (
	// PolicyGraceful sends SIGPWR to JVMs that handle it and SIGTERM to every other container.
	PolicyGraceful Policy = "Graceful"
	// PolicyTermOnly never sends SIGPWR: for Spark builds whose SIGPWR handler misbehaves
	// (the handler is installed, so SigCgt cannot tell), SIGTERM to the group is the only
	// first signal. SIGKILL after the grace period is unchanged.
	PolicyTermOnly Policy = "TermOnly"
)

// ParsePolicy accepts exactly the API's enum values. Case matters, as in the CRD: accepting
// "termonly" here would hide a typo that the API server would have rejected.
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(s); p {
	case PolicyGraceful, PolicyTermOnly:
		return p, nil
	}
	return "", fmt.Errorf("signal policy %q is not one of %s, %s (case matters)", s, PolicyGraceful, PolicyTermOnly)
}

// MarshalText and UnmarshalText let flag.TextVar parse and print a Policy.
func (p Policy) MarshalText() ([]byte, error) { return []byte(p), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParsePolicy's rules.
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

package discovery

import (
	"regexp"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// ContainerID is a parsed YARN container id; the parser is yarnclient's, shared with the
// operator so both sides agree on what an id is.
type ContainerID = yarnclient.ContainerID

// ParseContainerID parses exactly one container id.
func ParseContainerID(s string) (ContainerID, error) { return yarnclient.ParseContainerID(s) }

// containerIDPattern finds a container id inside a longer string (a cgroup path, argv, cwd).
var containerIDPattern = regexp.MustCompile(`container_(?:e[0-9]+_)?[0-9]+_[0-9]+_[0-9]+_[0-9]+`)

// FindContainerID returns the first valid container id embedded in s.
func FindContainerID(s string) (ContainerID, bool) {
	for _, m := range containerIDPattern.FindAllStringIndex(s, -1) {
		// A match that continues with an id character would be a truncated id.
		if m[1] < len(s) && isIDChar(s[m[1]]) {
			continue
		}
		if id, err := ParseContainerID(s[m[0]:m[1]]); err == nil {
			return id, true
		}
	}
	return ContainerID{}, false
}

func isIDChar(b byte) bool { return b == '_' || (b >= '0' && b <= '9') }

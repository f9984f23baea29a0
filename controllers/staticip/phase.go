package staticip

// Reasons of the StaticIP Ready condition.
const (
	ReasonAvailable        = "Available"
	ReasonBound            = "Bound"
	ReasonReleasing        = "Releasing"
	ReasonDuplicateAddress = "DuplicateAddress"
	ReasonDuplicateFQDN    = "DuplicateFQDN"
	ReasonKeytabInvalid    = "KeytabInvalid"
)

package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Mode says when the pool's NodeManagers run.
// +kubebuilder:validation:Enum=Scheduled;OnDemand;Resident
type Mode string

const (
	// ModeScheduled runs NodeManagers inside recurring time windows and drains them after.
	ModeScheduled Mode = "Scheduled"
	// ModeOnDemand runs a requested number of NodeManagers until an optional expiry.
	ModeOnDemand Mode = "OnDemand"
	// ModeResident runs NodeManagers all the time and resizes them to what the node can give.
	ModeResident Mode = "Resident"
)

// ScheduleSpec is the set of recurring windows of a Scheduled pool.
type ScheduleSpec struct {
	// timeZone is an IANA time zone name such as "Asia/Shanghai"; windows follow its
	// daylight-saving changes.
	// +kubebuilder:default=UTC
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +optional
	TimeZone string `json:"timeZone,omitempty"`

	// windows during which NodeManagers run. Windows may not overlap on the same day.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=16
	// +listType=atomic
	Windows []Window `json:"windows"`
}

// Weekday is a day of the week.
// +kubebuilder:validation:Enum=Mon;Tue;Wed;Thu;Fri;Sat;Sun
type Weekday string

// Window is one recurring period in which the pool's NodeManagers run, followed by a drain.
// +kubebuilder:validation:XValidation:rule="self.start != self.end",message="start and end must differ"
// +kubebuilder:validation:XValidation:rule="self.start == self.end || (has(self.crossesMidnight) && self.crossesMidnight ? self.end < self.start : self.end > self.start)",message="end must be after start; for a window such as 22:00-06:00 set crossesMidnight: true"
// +kubebuilder:validation:XValidation:rule="!has(self.drainDuration) || duration(self.drainDuration).getSeconds() + 60 * (((int(self.end.substring(0,2))*60 + int(self.end.substring(3,5))) - (int(self.start.substring(0,2))*60 + int(self.start.substring(3,5))) + 1440) % 1440) < 86400",message="drainDuration is too long: the window plus its drain must end before the window opens again the next day"
type Window struct {
	// name of the window, for status and Events.
	// +kubebuilder:validation:MaxLength=63
	// +optional
	Name string `json:"name,omitempty"`

	// days on which the window starts; empty means every day.
	// +kubebuilder:validation:MaxItems=7
	// +listType=set
	// +optional
	Days []Weekday `json:"days,omitempty"`

	// start is the local time (HH:MM, 24-hour) at which NodeManagers come up.
	// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
	// +kubebuilder:validation:MaxLength=5
	Start string `json:"start"`

	// end is the local time (HH:MM) at which draining starts.
	// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
	// +kubebuilder:validation:MaxLength=5
	End string `json:"end"`

	// crossesMidnight must be set for a window whose end is on the next day (22:00-06:00),
	// so that a mistyped end time is rejected instead of silently meaning "tomorrow".
	// +optional
	CrossesMidnight bool `json:"crossesMidnight,omitempty"`

	// drainDuration is how long NodeManagers may drain after end; pods are gone by
	// end + drainDuration.
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('0s')",message="drainDuration must not be negative"
	// +kubebuilder:validation:MaxLength=32
	// +optional
	DrainDuration *metav1.Duration `json:"drainDuration,omitempty"`
}

// OnDemandSpec is a burst of NodeManagers requested by hand (holidays, big events).
type OnDemandSpec struct {
	// nodes is how many NodeManagers to run; lowering it drains the surplus.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	Nodes int32 `json:"nodes"`

	// expiresAt ends the burst: from then on the pool drains to zero.
	// +optional
	ExpiresAt *metav1.Time `json:"expiresAt,omitempty"`
}

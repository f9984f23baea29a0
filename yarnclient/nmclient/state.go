package nmclient

// terminatingStates are NM ContainerState values (hadoop-yarn-server-nodemanager
// containermanager.container.ContainerState) of a container that is already on its way out:
// the NM is killing it, it exited, or its resources are being cleaned up.
var terminatingStates = map[string]bool{
	"LOCALIZATION_FAILED":            true,
	"EXITED_WITH_SUCCESS":            true,
	"EXITED_WITH_FAILURE":            true,
	"KILLING":                        true,
	"CONTAINER_CLEANEDUP_AFTER_KILL": true,
	"CONTAINER_RESOURCES_CLEANINGUP": true,
	"DONE":                           true,
	// The timeline/RM-side name for a finished container, in case an NM proxy reports it.
	"COMPLETE": true,
}

// Terminating reports whether the NM already considers the container finished or being killed;
// such a container frees its allocation without any help and must not be chosen for removal.
func (c Container) Terminating() bool { return terminatingStates[c.State] }

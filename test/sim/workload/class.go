package workload

// Class is the kind of container; it decides how the container can leave.
type Class int

const (
	// SparkDecommission is a Spark executor with spark.decommission.enabled: it handles
	// SIGPWR, finishes its running tasks, migrates its blocks and exits without losing work.
	SparkDecommission Class = iota
	// Spark is an executor without decommission: any signal loses its work.
	Spark
	// MapReduce map or reduce task: SIGTERM runs shutdown hooks, the attempt is lost.
	MapReduce
	// Flink is a streaming TaskManager: long-lived, a kill restarts the job from a checkpoint.
	Flink
	// AppMaster is an ApplicationMaster: losing it loses or restarts the whole application.
	AppMaster
	numClasses
)

// Classes lists every class in order.
func Classes() []Class { return []Class{SparkDecommission, Spark, MapReduce, Flink, AppMaster} }

func (c Class) String() string {
	switch c {
	case SparkDecommission:
		return "spark-decommission"
	case Spark:
		return "spark"
	case MapReduce:
		return "mapreduce"
	case Flink:
		return "flink"
	default:
		return "am"
	}
}

// GracefulCapable: the container handles SIGPWR and leaves without losing work.
func (c Class) GracefulCapable() bool { return c == SparkDecommission }

// Streaming containers should stay off elastic nodes, or go last.
func (c Class) Streaming() bool { return c == Flink }

// AM reports an ApplicationMaster.
func (c Class) AM() bool { return c == AppMaster }

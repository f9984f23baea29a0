package discovery

import "strings"

// Framework is the kind of program a YARN container runs, found from its JVM main class.
type Framework string

const (
	FrameworkUnknown   Framework = "unknown"
	FrameworkSpark     Framework = "spark"
	FrameworkMapReduce Framework = "mapreduce"
	FrameworkTez       Framework = "tez"
	FrameworkFlink     Framework = "flink"
)

// Role says whether the container is an ApplicationMaster (its loss fails or restarts the
// whole application) or a task/executor (its loss costs only the work running in it).
type Role string

const (
	RoleUnknown Role = "unknown"
	RoleAM      Role = "am"
	RoleTask    Role = "task"
)

// mainClass maps a JVM main class to what it tells us. Class names were checked against
// Spark, Hadoop, Tez and Flink launch commands; both the pre-3.0 Spark executor class and the
// YARN-specific one of Spark >= 3.0 are listed.
type mainClass struct {
	framework Framework
	role      Role
	// streaming is true for frameworks whose containers usually run unbounded jobs
	// (a restarted Flink TaskManager restarts the job from its last checkpoint).
	streaming bool
}

var knownMainClasses = map[string]mainClass{
	"org.apache.spark.executor.YarnCoarseGrainedExecutorBackend":        {FrameworkSpark, RoleTask, false},
	"org.apache.spark.executor.CoarseGrainedExecutorBackend":            {FrameworkSpark, RoleTask, false},
	"org.apache.spark.deploy.yarn.ApplicationMaster":                    {FrameworkSpark, RoleAM, false},
	"org.apache.spark.deploy.yarn.ExecutorLauncher":                     {FrameworkSpark, RoleAM, false},
	"org.apache.hadoop.mapred.YarnChild":                                {FrameworkMapReduce, RoleTask, false},
	"org.apache.hadoop.mapreduce.v2.app.MRAppMaster":                    {FrameworkMapReduce, RoleAM, false},
	"org.apache.tez.runtime.task.TezChild":                              {FrameworkTez, RoleTask, false},
	"org.apache.tez.dag.app.DAGAppMaster":                               {FrameworkTez, RoleAM, false},
	"org.apache.flink.yarn.YarnTaskExecutorRunner":                      {FrameworkFlink, RoleTask, true},
	"org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint":         {FrameworkFlink, RoleAM, true},
	"org.apache.flink.yarn.entrypoint.YarnSessionClusterEntrypoint":     {FrameworkFlink, RoleAM, true},
	"org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntrypoint": {FrameworkFlink, RoleAM, true},
}

// Classification is what the command line says about a process.
type Classification struct {
	Framework Framework
	Role      Role
	Streaming bool
	MainClass string
}

// Classify looks for a known main class among the arguments. The main class is a separate
// argv element after the JVM options, so an exact element match avoids false hits on
// -D options that merely mention a class.
func Classify(argv []string) Classification {
	for _, arg := range argv {
		if mc, ok := knownMainClasses[arg]; ok {
			return Classification{Framework: mc.framework, Role: mc.role, Streaming: mc.streaming, MainClass: arg}
		}
	}
	return Classification{Framework: FrameworkUnknown, Role: RoleUnknown}
}

// IsJava reports whether argv[0] is a java launcher.
func IsJava(argv []string) bool {
	if len(argv) == 0 {
		return false
	}
	base := argv[0]
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	return base == "java"
}

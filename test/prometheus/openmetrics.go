package prometheus

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Point is one sample.
type Point struct {
	T time.Time
	V float64
}

// Series is one time series: a metric name, its labels and its samples in time order.
type Series struct {
	Name   string
	Labels map[string]string
	Points []Point
}

// RenderOpenMetrics writes series as OpenMetrics text, grouping samples of one metric family
// together (OpenMetrics requires it) with a gauge TYPE line and the closing "# EOF".
func RenderOpenMetrics(series []Series) string {
	byName := map[string][]Series{}
	var names []string
	for _, s := range series {
		if _, ok := byName[s.Name]; !ok {
			names = append(names, s.Name)
		}
		byName[s.Name] = append(byName[s.Name], s)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "# TYPE %s gauge\n", name)
		for _, s := range byName[name] {
			labels := renderLabels(s.Labels)
			for _, p := range s.Points {
				fmt.Fprintf(&b, "%s%s %s %s\n", name, labels, formatValue(p.V), formatTimestamp(p.T))
			}
		}
	}
	b.WriteString("# EOF\n")
	return b.String()
}

func renderLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(labels[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatTimestamp is OpenMetrics' seconds with millisecond precision (Prometheus' resolution).
func formatTimestamp(t time.Time) string {
	ms := t.UnixMilli()
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}

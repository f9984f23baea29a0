// Package prometheus starts a real Prometheus server preloaded with known series, for tests of
// PromQL window queries against the real engine.
//
// The series are written as OpenMetrics, backfilled into TSDB blocks with
// `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus` on a free
// loopback port. Nothing is scraped. Backfilled samples carry fixed timestamps, so tests must
// evaluate queries at an explicit time (the query API's time parameter): results are then
// deterministic whatever the wall clock says. Retention is set to 100 years so old
// timestamps are never deleted.
package prometheus

"""`labeling-analytics bench`: how long the warehouse takes to build, and how much memory, at a
given number of events, against the floor of one DuckDB query over the same exports.

Nothing heavy is imported here: the floor runs as `python -m labeling_analytics.bench.floor`,
and its peak memory should be DuckDB's, not the simulator's libraries'."""

-- The newest event time each partition of a source had reached, from the ledger: where a restarted consumer's
-- dedup window ends on each partition.
-- params: source String
-- row: partition UInt32, newest_ts Int64 (epoch ms)
SELECT partition, max(max_ts) AS newest_ts
FROM ingest_ledger_v1
WHERE source = {source:String} AND max_ts > 0
GROUP BY partition

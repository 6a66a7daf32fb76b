-- The newest batch recorded for one source partition (a replay resumes from it).
-- params: source String, partition UInt32
-- row: first_offset UInt64, last_offset UInt64, rows UInt32
SELECT first_offset, last_offset, rows
FROM ingest_ledger_v1
WHERE source = {source:String} AND partition = {partition:UInt32}
ORDER BY last_offset DESC
LIMIT 1

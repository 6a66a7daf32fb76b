-- Batches of one source partition recorded at or after an offset: the in-doubt batches to re-form after a crash.
-- params: source String, partition UInt32, from_offset UInt64
-- row: first_offset UInt64, last_offset UInt64, rows UInt32, dropped Array(UInt64) (offsets left out as resends)
SELECT first_offset, last_offset, rows, dropped
FROM ingest_ledger_v1
WHERE source = {source:String} AND partition = {partition:UInt32} AND last_offset >= {from_offset:UInt64}
ORDER BY first_offset

-- Event ids stored at or after an event time: the ingest's dedup window, loaded when a consumer joins its group.
-- params: from_ms Int64 (epoch ms)
-- row: id String, ts Int64 (epoch ms)
SELECT id, toUnixTimestamp64Milli(ts) AS ts
FROM events_v1
WHERE ts >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')

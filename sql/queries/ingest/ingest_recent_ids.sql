-- Event ids stored within a window of event time before the newest stored event: the ingest's dedup window,
-- loaded when a consumer joins its group.
-- params: window_ms Int64 (the window length)
-- row: id String, ts Int64 (epoch ms)
SELECT id, toUnixTimestamp64Milli(ts) AS ts
FROM events_v1
WHERE ts >= (SELECT max(ts) FROM events_v1) - toIntervalMillisecond({window_ms:Int64})

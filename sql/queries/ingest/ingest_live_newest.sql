-- The newest stored event of the synthetic live feed at or after `since` (epoch ms; 0 when there is none): a feed
-- that starts again fills in the time from here, so no second of it is stored twice, however often it restarts.
-- The raw table is ordered by time first, so only the rows since `since` are read.
-- params: since Int64 (epoch ms), prefix String (the id prefix of every live event)
-- row: newest_ms Int64
SELECT toInt64(toUnixTimestamp64Milli(max(ts))) AS newest_ms
FROM events_v1
WHERE ts >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
  AND startsWith(id, {prefix:String})

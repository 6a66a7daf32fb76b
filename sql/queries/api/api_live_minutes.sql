-- Views, discussions, events and active users per minute for the newest minutes, from the 1-minute rollup.
-- params: from Int64, to Int64 (epoch ms, whole minutes)
-- row: ts UInt64, views UInt64, discussions UInt64, total_events UInt64, active_users UInt32
SELECT
    toUnixTimestamp(bucket) * 1000 AS ts,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions,
    sum(events) AS total_events,
    groupBitmapMerge(users) AS active_users
FROM region_activity_1m_v2
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY ts
ORDER BY ts

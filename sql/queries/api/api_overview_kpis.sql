-- Overview figures of the current period [from, to) and the previous one [previous_from, from), from the
-- 15-minute rollup. Foreign events come from a known country other than CN; events without a region are neither.
-- params: previous_from Int64, from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String) (empty: all)
-- row: period String, views UInt64, discussions UInt64, total_events UInt64, located_events UInt64,
--      foreign_events UInt64, active_users UInt64
SELECT
    if(bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions,
    sum(events) AS total_events,
    sumIf(events, country != '') AS located_events,
    sumIf(events, country != '' AND country != 'CN') AS foreign_events,
    uniqExactMerge(users) AS active_users
FROM region_activity_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})
GROUP BY period

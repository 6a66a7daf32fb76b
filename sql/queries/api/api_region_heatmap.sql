-- Hour-of-day by local day in a time zone: the chosen regions' events and active users, and every region's, from
-- the 15-minute rollup. Grouping on the local (day, hour) merges the two 01:00 hours of a DST fall-back day.
-- params: from Int64, to Int64 (epoch ms, whole hours in tz), tz String, regions Array(String) (empty: all),
--         types Array(String) (empty: all), metric String ('users' | 'events')
-- row: day String, hour UInt8, ts Int64, value_events UInt64, total_events UInt64, value_users UInt64,
--      total_users UInt64
-- Local hours start at the instant minus its local minutes: the engine's toStartOfHour misplaces the hours of the
-- day on which Lord Howe's clocks move by 30 minutes.
SELECT
    toString(toDate(toTimeZone(bucket, {tz:String}))) AS day,
    toHour(toTimeZone(bucket, {tz:String})) AS hour,
    min((toUnixTimestamp(bucket) - modulo(toUnixTimestamp(bucket) + timeZoneOffset(toTimeZone(bucket, {tz:String})), 3600))) * 1000 AS ts,
    sumIf(events, empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)}) AS value_events,
    sum(events) AS total_events,
    uniqExactMergeIf(users, {metric:String} = 'users'
        AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})) AS value_users,
    uniqExactMergeIf(users, {metric:String} = 'users') AS total_users
FROM region_activity_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
GROUP BY day, hour
ORDER BY day, hour

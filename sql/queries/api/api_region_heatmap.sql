-- Hour-of-day by local day in a time zone: the chosen regions' events and active users, and every region's, from
-- the 15-minute rollup. Grouping on the local (day, hour) merges the two 01:00 hours of a DST fall-back day.
-- params: from Int64, to Int64 (epoch ms, whole hours in tz), tz String, regions Array(String) (empty: all),
--         types Array(String) (empty: all), metric String ('users' | 'events')
-- row: day String, hour UInt8, ts Int64, value_events UInt64, total_events UInt64, value_users UInt64,
--      total_users UInt64
SELECT
    toString(toDate(toTimeZone(bucket, {tz:String}))) AS day,
    toHour(toTimeZone(bucket, {tz:String})) AS hour,
    min({{ local_hour_start(bucket) }}) * 1000 AS ts,
    sumIf(events, {{ in_regions(region, country) }}) AS value_events,
    sum(events) AS total_events,
    uniqExactMergeIf(users, {metric:String} = 'users'
        AND {{ in_regions(region, country) }}) AS value_users,
    uniqExactMergeIf(users, {metric:String} = 'users') AS total_users
FROM region_activity_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
GROUP BY day, hour
ORDER BY day, hour

-- Hour-of-day by local day in a time zone, from the 15-minute rollups (the all-types one without a type filter, the
-- per-type one with; the branch not taken reads no part): events and active users of the focus regions within the
-- region filter, and the totals of the filter (all regions when it is empty). Grouping on the local (day, hour)
-- merges the two 01:00 hours of a DST fall-back day.
-- params: from Int64, to Int64 (epoch ms, whole hours in tz), tz String, regions Array(String) (the filter; empty:
--         all), focus Array(String) (the regions whose part is the value; empty: the whole filter),
--         types Array(String) (empty: all), metric String ('users' | 'events')
-- row: day String, hour UInt8, ts Int64, value_events UInt64, total_events UInt64, value_users UInt32,
--      total_users UInt32
SELECT
    toString(toDate(toTimeZone(bucket, {tz:String}))) AS day,
    toHour(toTimeZone(bucket, {tz:String})) AS hour,
    min({{ local_hour_start(bucket) }}) * 1000 AS ts,
    sumIf(events, in_focus) AS value_events,
    sum(events) AS total_events,
    groupBitmapMergeIf(users, {metric:String} = 'users' AND in_focus) AS value_users,
    groupBitmapMergeIf(users, {metric:String} = 'users') AS total_users
FROM
(
    SELECT
        bucket,
        events,
        users,
        empty({focus:Array(String)}) OR region IN {focus:Array(String)} OR country IN {focus:Array(String)} AS in_focus
    FROM
    (
        SELECT bucket, region, country, events, users
        FROM region_users_15m_v1
        WHERE empty({types:Array(String)})
          AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
          AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
          AND {{ in_regions(region, country) }}
        UNION ALL
        SELECT bucket, region, country, events, users
        FROM region_activity_15m_v2
        WHERE notEmpty({types:Array(String)})
          AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
          AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
          AND {{ in_regions(region, country) }}
          AND toString(type) IN {types:Array(String)}
    )
)
GROUP BY day, hour
ORDER BY day, hour

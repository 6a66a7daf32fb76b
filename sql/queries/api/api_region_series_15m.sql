-- Events and active users per bucket per region key, from the 15-minute rollups, plus each bucket's total (the
-- row whose is_total is 1). Keys outside the given top list are folded into 'other', so 'other' users are exact.
-- Without a type filter the all-types rollup answers (one bitmap per bucket and region); with one, the per-type
-- rollup. The branch not taken has a WHERE that is constant false, so it reads no part.
-- params: from Int64, to Int64 (epoch ms, bucket-aligned), tz String, step String ('15m' | 'hour' | 'day'),
--         regions Array(String), types Array(String) (empty: all), level String ('country' | 'province'),
--         keys Array(String) (the regions shown), metric String ('users' | 'events')
-- row: ts Int64, key String, is_total UInt64, events UInt64, users UInt32
SELECT
    ts,
    key,
    grouping(key) AS is_total,
    sum(events) AS events,
    groupBitmapMergeIf(users, {metric:String} = 'users') AS users
FROM
(
    SELECT
        multiIf(
            {step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
            {step:String} = 'hour', {{ local_hour_start(bucket) }},
            toUnixTimestamp(bucket)) * 1000 AS ts,
        if(if({level:String} = 'province' AND country = 'CN', region, country) AS region_key IN {keys:Array(String)},
            region_key, 'other') AS key,
        events,
        users
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
GROUP BY GROUPING SETS ((ts, key), (ts))
ORDER BY ts, is_total, key

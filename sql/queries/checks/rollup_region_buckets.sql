-- Events and distinct users per country per hour or day in a time zone, from the 15-minute rollups as the API reads
-- them: the all-types one when types is empty, else the per-type one.
-- params: from Int64 (epoch ms, inclusive), to Int64 (epoch ms, exclusive), tz String, step String ('hour' | 'day'),
--         types Array(String) (empty: all)
-- row: t Int64, country LowCardinality(String), events UInt64, users UInt32
SELECT
    if({step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
        {{ local_hour_start(bucket) }}) * 1000 AS t,
    country,
    sum(events) AS events,
    groupBitmapMerge(users) AS users
FROM
(
    SELECT bucket, country, events, users
    FROM region_users_15m_v1
    WHERE empty({types:Array(String)})
      AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    UNION ALL
    SELECT bucket, country, events, users
    FROM region_activity_15m_v2
    WHERE notEmpty({types:Array(String)})
      AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND toString(type) IN {types:Array(String)}
)
GROUP BY t, country
ORDER BY t, country

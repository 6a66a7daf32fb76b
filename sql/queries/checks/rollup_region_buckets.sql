-- Events and distinct users per country per hour or day in a time zone, from the 15-minute rollup.
-- params: from Int64 (epoch ms, inclusive), to Int64 (epoch ms, exclusive), tz String, step String ('hour' | 'day')
-- row: t Int64, country LowCardinality(String), events UInt64, users UInt64
SELECT
    if({step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
        {{ local_hour_start(bucket) }}) * 1000 AS t,
    country,
    sum(events) AS events,
    uniqExactMerge(users) AS users
FROM region_activity_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY t, country
ORDER BY t, country

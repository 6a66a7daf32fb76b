-- Events per hashtag, type and country per hour or day in a time zone, from the 15-minute rollup.
-- Used to prove the rollups against the raw events, and as the shape the dashboards' series queries follow.
-- params: from Int64 (epoch ms, inclusive), to Int64 (epoch ms, exclusive), tz String, step String ('hour' | 'day')
-- row: t Int64, hashtag String, type Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
--      country LowCardinality(String), events UInt64
SELECT
    if({step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
        {{ local_hour_start(bucket) }}) * 1000 AS t,
    hashtag,
    type,
    country,
    sum(events) AS events
FROM tag_counts_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY t, hashtag, type, country
ORDER BY t, hashtag, type, country

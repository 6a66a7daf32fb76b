-- Views and discussions per tag per bucket in a time zone, all regions, from the region-less 15-minute totals.
-- (api_tag_series_15m answers the same with a region filter.)
-- params: tags Array(String), from Int64, to Int64 (epoch ms, bucket-aligned), tz String,
--         step String ('15m' | 'hour' | 'day')
-- row: tag String, ts Int64, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    multiIf(
        {step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
        {step:String} = 'hour', {{ local_hour_start(bucket) }},
        toUnixTimestamp(bucket)) * 1000 AS ts,
    sum(views) AS views,
    sum(discussions) AS discussions
FROM tag_totals_15m_v1
WHERE hashtag IN {tags:Array(String)}
  AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY tag, ts
ORDER BY tag, ts

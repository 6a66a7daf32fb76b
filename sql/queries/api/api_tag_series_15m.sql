-- Views and discussions per tag per bucket in a time zone, from the 15-minute rollup (exact for 15m, hour and day
-- buckets in every zone in use, whose offsets are whole quarter hours).
-- params: tags Array(String), from Int64, to Int64 (epoch ms, bucket-aligned), tz String,
--         step String ('15m' | 'hour' | 'day'), regions Array(String) (empty: all)
-- row: tag String, ts Int64, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    multiIf(
        {step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})),
        {step:String} = 'hour', {{ local_hour_start(bucket) }},
        toUnixTimestamp(bucket)) * 1000 AS ts,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_15m_v1
WHERE hashtag IN {tags:Array(String)}
  AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
GROUP BY tag, ts
ORDER BY tag, ts

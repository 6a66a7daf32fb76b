-- Benchmark only: the answer of api_tag_series_15m computed from the raw events instead of the rollup, to measure
-- what the rollup saves. Same parameters and rows (bucket start in `bucket_ts`).
-- params: tags Array(String), from Int64, to Int64 (epoch ms), tz String, step String ('15m' | 'hour' | 'day'),
--         regions Array(String) (empty: all)
-- row: tag String, bucket_ts Int64, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    multiIf(
        {step:String} = 'day', toUnixTimestamp(toStartOfDay(ts, {tz:String})),
        {step:String} = 'hour', {{ local_hour_start(ts) }},
        toUnixTimestamp(toStartOfFifteenMinutes(ts))) * 1000 AS bucket_ts,
    countIf(type = 'view') AS views,
    countIf(type IN ('post', 'comment')) AS discussions
FROM events_v1
ARRAY JOIN hashtags AS hashtag
WHERE hashtag IN {tags:Array(String)}
  AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
GROUP BY tag, bucket_ts
ORDER BY tag, bucket_ts

-- Views and discussions per tag per minute, from the 1-minute rollup.
-- params: tags Array(String), from Int64, to Int64 (epoch ms, whole minutes), regions Array(String) (empty: all)
-- row: tag String, ts UInt64, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    toUnixTimestamp(bucket) * 1000 AS ts,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_1m_v1
WHERE hashtag IN {tags:Array(String)}
  AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
GROUP BY tag, ts
ORDER BY tag, ts

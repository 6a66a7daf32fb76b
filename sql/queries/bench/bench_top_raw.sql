-- Benchmark only: the answer of api_tag_top computed from the raw events instead of the rollup.
-- params: from Int64, to Int64 (epoch ms), regions Array(String) (empty: all), by String ('views' | 'discussions'),
--         limit UInt32
-- row: tag String, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    countIf(type = 'view') AS views,
    countIf(type IN ('post', 'comment')) AS discussions
FROM events_v1
ARRAY JOIN hashtags AS hashtag
WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
GROUP BY tag
HAVING if({by:String} = 'views', views, discussions) > 0
ORDER BY if({by:String} = 'views', views, discussions) DESC, tag ASC
LIMIT {limit:UInt32}

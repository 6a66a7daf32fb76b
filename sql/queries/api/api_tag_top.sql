-- Top tags over a range by views or discussions, from the 15-minute rollup; ties broken by tag for a stable order.
-- params: from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String) (empty: all),
--         by String ('views' | 'discussions'), limit UInt32
-- row: tag String, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
GROUP BY tag
HAVING if({by:String} = 'views', views, discussions) > 0
ORDER BY if({by:String} = 'views', views, discussions) DESC, tag ASC
LIMIT {limit:UInt32}

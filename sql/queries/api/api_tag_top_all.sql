-- Top tags over a range by views or discussions, all regions, from the region-less 15-minute totals; ties broken by
-- tag for a stable order. (api_tag_top answers the same with a region filter.)
-- params: from Int64, to Int64 (epoch ms, whole quarter hours), by String ('views' | 'discussions'), limit UInt32
-- row: tag String, views UInt64, discussions UInt64
SELECT
    hashtag AS tag,
    sum(views) AS views,
    sum(discussions) AS discussions
FROM tag_totals_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY tag
HAVING if({by:String} = 'views', views, discussions) > 0
ORDER BY if({by:String} = 'views', views, discussions) DESC, tag ASC
LIMIT {limit:UInt32}

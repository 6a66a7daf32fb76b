-- Breakout tags over all regions, from the region-less 15-minute totals: each tag's rate (events per hour of the
-- chosen metric) in the recent window [recent_from, to) against its own rate in the baseline [from, recent_from).
-- Tags with a baseline are ranked by the multiple; tags without one (new) follow, by recent volume.
-- (api_tag_trending answers the same with a region filter.)
-- params: from Int64, recent_from Int64, to Int64 (epoch ms, whole quarter hours), by String ('views' | 'discussions'),
--         min_multiple Float64, min_recent UInt64, limit UInt32
-- row: tag String, recent UInt64, baseline UInt64, views UInt64, recent_rate Float64, baseline_rate Float64,
--      is_new UInt8, multiple Float64
SELECT
    tag,
    recent,
    baseline,
    total_views AS views,
    recent / (({to:Int64} - {recent_from:Int64}) / 3600000) AS recent_rate,
    baseline / (({recent_from:Int64} - {from:Int64}) / 3600000) AS baseline_rate,
    baseline = 0 AS is_new,
    if(is_new, 0, recent_rate / baseline_rate) AS multiple
FROM
(
    SELECT
        hashtag AS tag,
        sumIf(if({by:String} = 'views', views, discussions), bucket >= fromUnixTimestamp64Milli({recent_from:Int64}, 'UTC')) AS recent,
        sumIf(if({by:String} = 'views', views, discussions), bucket < fromUnixTimestamp64Milli({recent_from:Int64}, 'UTC')) AS baseline,
        sum(views) AS total_views
    FROM tag_totals_15m_v1
    WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    GROUP BY tag
)
WHERE recent >= {min_recent:UInt64} AND (is_new OR multiple >= {min_multiple:Float64})
ORDER BY is_new ASC, multiple DESC, recent DESC, tag ASC
LIMIT {limit:UInt32}

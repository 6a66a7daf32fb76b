-- Breakout tags: each tag's rate (events per hour of the chosen metric) in the recent window [recent_from, to)
-- against its own rate in the baseline [from, recent_from). Tags with a baseline are ranked by the multiple;
-- tags without one (new) follow, by recent volume. From the 15-minute rollup.
-- params: from Int64, recent_from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String),
--         by String ('views' | 'discussions'), min_multiple Float64, min_recent UInt64, limit UInt32
-- row: tag String, recent UInt64, baseline UInt64, views UInt64, recent_rate Float64, baseline_rate Float64,
--      is_new UInt8, multiple Float64
SELECT
    tag,
    recent,
    baseline,
    views,
    recent / (({to:Int64} - {recent_from:Int64}) / 3600000) AS recent_rate,
    baseline / (({recent_from:Int64} - {from:Int64}) / 3600000) AS baseline_rate,
    baseline = 0 AS is_new,
    if(is_new, 0, recent_rate / baseline_rate) AS multiple
FROM
(
    SELECT
        hashtag AS tag,
        sumIf(events, bucket >= fromUnixTimestamp64Milli({recent_from:Int64}, 'UTC')
            AND if({by:String} = 'views', type = 'view', type IN ('post', 'comment'))) AS recent,
        sumIf(events, bucket < fromUnixTimestamp64Milli({recent_from:Int64}, 'UTC')
            AND if({by:String} = 'views', type = 'view', type IN ('post', 'comment'))) AS baseline,
        sumIf(events, type = 'view') AS views
    FROM tag_counts_15m_v1
    WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND {{ in_regions(region, country) }}
    GROUP BY tag
)
WHERE recent >= {min_recent:UInt64} AND (is_new OR multiple >= {min_multiple:Float64})
ORDER BY is_new ASC, multiple DESC, recent DESC, tag ASC
LIMIT {limit:UInt32}

-- Breakout tags in the chosen regions: each tag's count of the chosen metric in the recent window
-- [recent_from, to) and in the baseline [from, recent_from) before it, as rates over the hours of each window the
-- data covers (recent_hours, baseline_hours; see api_tag_coverage). Tags with a baseline are ranked by the
-- multiple of their own baseline rate; tags without one follow by recent volume. A tag is new when it has no event
-- of any type in these regions before the recent window at all, not merely none in the baseline. From the
-- 15-minute rollup.
-- params: from Int64, recent_from Int64, to Int64 (epoch ms, whole quarter hours), recent_hours Float64,
--         baseline_hours Float64, regions Array(String), by String ('views' | 'discussions'), min_multiple Float64,
--         min_recent UInt64, limit UInt32
-- row: tag String, recent UInt64, baseline UInt64, views UInt64, recent_rate Float64, baseline_rate Float64,
--      is_new UInt8, multiple Float64
WITH windows AS
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
    HAVING recent >= {min_recent:UInt64}
)
SELECT
    tag,
    recent,
    baseline,
    views,
    if({recent_hours:Float64} > 0, recent / {recent_hours:Float64}, 0) AS recent_rate,
    if({baseline_hours:Float64} > 0, baseline / {baseline_hours:Float64}, 0) AS baseline_rate,
    tag NOT IN
    (
        SELECT hashtag
        FROM tag_counts_15m_v1
        WHERE hashtag IN (SELECT tag FROM windows)
          AND bucket < fromUnixTimestamp64Milli({recent_from:Int64}, 'UTC')
          AND events > 0
          AND {{ in_regions(region, country) }}
    ) AS is_new,
    if(baseline > 0, recent_rate / baseline_rate, 0) AS multiple
FROM windows
WHERE baseline = 0 OR multiple >= {min_multiple:Float64}
ORDER BY baseline = 0 ASC, multiple DESC, recent DESC, tag ASC
LIMIT {limit:UInt32}

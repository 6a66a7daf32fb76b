-- Views and discussions per tag before an instant, all regions: whole quarter hours from the region-less totals,
-- the minutes after the last quarter hour from the 1-minute rollup. (api_tag_totals_before takes a region filter.)
-- params: tags Array(String), quarter_before Int64 (epoch ms, a quarter hour at or before `before`),
--         before Int64 (epoch ms, a whole minute)
-- row: tag String, views UInt64, discussions UInt64
SELECT tag, sum(tag_views) AS views, sum(tag_discussions) AS discussions
FROM
(
    SELECT hashtag AS tag, sum(views) AS tag_views, sum(discussions) AS tag_discussions
    FROM tag_totals_15m_v1
    WHERE hashtag IN {tags:Array(String)}
      AND bucket < fromUnixTimestamp64Milli({quarter_before:Int64}, 'UTC')
    GROUP BY tag
    UNION ALL
    SELECT hashtag AS tag, sumIf(events, type = 'view') AS tag_views, sumIf(events, type IN ('post', 'comment')) AS tag_discussions
    FROM tag_counts_1m_v1
    WHERE hashtag IN {tags:Array(String)}
      AND bucket >= fromUnixTimestamp64Milli({quarter_before:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({before:Int64}, 'UTC')
    GROUP BY tag
)
GROUP BY tag

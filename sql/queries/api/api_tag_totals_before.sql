-- Views and discussions per tag before an instant: whole quarter hours from the 15-minute rollup, the minutes
-- between the last quarter hour and the instant from the 1-minute rollup. Cumulative series start from these.
-- params: tags Array(String), quarter_before Int64 (epoch ms, a quarter hour at or before `before`),
--         before Int64 (epoch ms, a whole minute), regions Array(String) (empty: all)
-- row: tag String, views UInt64, discussions UInt64
SELECT tag, sum(views) AS views, sum(discussions) AS discussions
FROM
(
    SELECT hashtag AS tag, sumIf(events, type = 'view') AS views, sumIf(events, type IN ('post', 'comment')) AS discussions
    FROM tag_counts_15m_v1
    WHERE hashtag IN {tags:Array(String)}
      AND bucket < fromUnixTimestamp64Milli({quarter_before:Int64}, 'UTC')
      AND {{ in_regions(region, country) }}
    GROUP BY tag
    UNION ALL
    SELECT hashtag AS tag, sumIf(events, type = 'view') AS views, sumIf(events, type IN ('post', 'comment')) AS discussions
    FROM tag_counts_1m_v1
    WHERE hashtag IN {tags:Array(String)}
      AND bucket >= fromUnixTimestamp64Milli({quarter_before:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({before:Int64}, 'UTC')
      AND {{ in_regions(region, country) }}
    GROUP BY tag
)
GROUP BY tag

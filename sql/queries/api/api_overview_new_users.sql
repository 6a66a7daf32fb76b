-- New users per period: users whose first event falls in [previous_from, from) or [from, to). user_first_seen_v1
-- holds one partial row per insert until merges, so each candidate's rows are merged with min() first. A user's
-- region is the one recorded with their earliest row.
-- params: previous_from Int64, from Int64, to Int64 (epoch ms), regions Array(String) (empty: all)
-- row: period String, new_users UInt64
SELECT
    if(first_seen >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
    count() AS new_users
FROM
(
    SELECT user_id, min(first_ts) AS first_seen, argMin(region, first_ts) AS first_region, argMin(country, first_ts) AS first_country
    FROM user_first_seen_v1
    WHERE user_id IN
    (
        SELECT user_id
        FROM user_first_seen_v1
        WHERE first_ts >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC')
          AND first_ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    )
    GROUP BY user_id
)
WHERE first_seen >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC')
  AND first_seen < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (empty({regions:Array(String)}) OR first_region IN {regions:Array(String)} OR first_country IN {regions:Array(String)})
GROUP BY period

-- Overview figures of the current period [from, to) and the previous one [previous_from, from), in one statement so
-- that active and new users are read from one snapshot of the tables: a user first seen in a period is active in it,
-- so new users can never exceed active users, however fast events arrive.
-- Views, discussions, events and active users come from the 15-minute all-types rollup; foreign events come from a
-- known country other than CN (events without a region are neither). New users are those whose first event falls in the
-- period; user_first_seen_v1 holds one partial row per insert until merges, so each candidate's rows are merged with
-- min() first, and a user's region is the one recorded with their earliest row.
-- params: previous_from Int64, from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String) (empty: all)
-- row: period String, views UInt64, discussions UInt64, total_events UInt64, located_events UInt64,
--      foreign_events UInt64, active_users UInt32, new_users UInt64
WITH
    activity AS
    (
        SELECT
            if(bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
            sum(region_users_15m_v1.views) AS views,
            sum(region_users_15m_v1.discussions) AS discussions,
            sum(events) AS total_events,
            sumIf(events, country != '') AS located_events,
            sumIf(events, country != '' AND country != 'CN') AS foreign_events,
            groupBitmapMerge(users) AS active_users
        FROM region_users_15m_v1
        WHERE bucket >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC')
          AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
          AND {{ in_regions(region, country) }}
        GROUP BY period
    ),
    newcomers AS
    (
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
          AND {{ in_regions(first_region, first_country) }}
        GROUP BY period
    )
SELECT
    activity.period AS period,
    activity.views AS views,
    activity.discussions AS discussions,
    activity.total_events AS total_events,
    activity.located_events AS located_events,
    activity.foreign_events AS foreign_events,
    activity.active_users AS active_users,
    -- An insert's parts reach the rollups one table after another, so a read between them can see a newcomer
    -- whose activity is not visible yet; a user first seen in a period is active in it, so the cap only acts in that instant.
    least(newcomers.new_users, activity.active_users) AS new_users
FROM activity
LEFT JOIN newcomers ON newcomers.period = activity.period
SETTINGS join_use_nulls = 0

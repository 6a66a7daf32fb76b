-- Overview: distinct users of the current period and of the previous one.
SELECT
    if(bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
    uniqExact(users) AS active_users
FROM (SELECT toStartOfFifteenMinutes(ts) AS bucket, region, country, type, 1 AS events, user_id AS users FROM ev)
WHERE bucket >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY period
ORDER BY period

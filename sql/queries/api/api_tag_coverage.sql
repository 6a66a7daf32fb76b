-- The start of the first quarter hour in [from, to) holding any tagged view, post or comment, as epoch ms (0 when
-- there is none). Nothing was recorded before it, so trending rates are spread over the time from here on: a
-- window longer than the data would read as a quiet baseline and make every tag look like it grows.
-- params: from Int64, to Int64 (epoch ms, whole quarter hours)
-- row: first_ms Int64
SELECT toInt64(toUnixTimestamp(min(bucket))) * 1000 AS first_ms
FROM tag_totals_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND views + discussions > 0

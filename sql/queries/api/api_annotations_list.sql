-- Live annotations (newest version of each id, tombstones dropped) dated in [from, to).
-- params: from Int64, to Int64 (epoch ms)
-- row: id String, ts Int64, title String, body String, hashtag String
SELECT id, toUnixTimestamp64Milli(at) AS ts, title, body, hashtag
FROM
(
    SELECT
        id,
        argMax(ts, version) AS at,
        argMax(title, version) AS title,
        argMax(body, version) AS body,
        argMax(hashtag, version) AS hashtag,
        argMax(deleted, version) AS deleted
    FROM annotations_v1
    GROUP BY id
)
WHERE deleted = 0
  AND at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
ORDER BY at, id

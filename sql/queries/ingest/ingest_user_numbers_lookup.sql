-- The numbers of the given users that the dictionary holds (users without one are absent). The dictionary is a
-- key-value table keyed by user id, so the engine answers with point lookups of these keys, not a scan.
-- params: ids Array(String) (user ids)
-- row: user_id String, user_no UInt32
SELECT user_id, user_no
FROM user_numbers_v1
WHERE user_id IN {ids:Array(String)}

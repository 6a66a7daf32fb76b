-- Users with stored events but no number in the user dictionary: their events are left out of every distinct-user
-- count read through the number, so this must always be empty.
-- params: none
-- row: user_id String, events UInt64
SELECT user_id, count() AS events
FROM events_v1
WHERE user_id NOT IN (SELECT user_id FROM user_numbers_v1)
GROUP BY user_id
ORDER BY user_id

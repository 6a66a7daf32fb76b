-- Numbers the users of events stored before the ingest numbered users (a data folder upgrading), in the range of the
-- in-process sources (255 × 2^24 on), after any number already there. A user already numbered keeps their number.
-- On an empty store, and on any store whose users are all numbered, it inserts nothing.
INSERT INTO user_numbers_v1 (user_id, user_no)
SELECT
    user_id,
    toUInt32(
        (
            SELECT greatest(max(user_no), 255 * 16777216)
            FROM user_numbers_v1
            WHERE intDiv(user_no, 16777216) = 255
        ) + row_number() OVER (ORDER BY user_id)
    ) AS user_no
FROM
(
    SELECT DISTINCT user_id
    FROM events_v1
    WHERE user_id NOT IN (SELECT user_id FROM user_numbers_v1)
)

-- Numbers held by more than one user in the user dictionary: those users would count as one, so this must always be
-- empty. (A user holds one number by construction: the dictionary is keyed by user id.)
-- params: none
-- row: user_no UInt32, user_ids Array(String)
SELECT user_no, arraySort(groupArray(user_id)) AS user_ids
FROM user_numbers_v1
GROUP BY user_no
HAVING count() > 1
ORDER BY user_no

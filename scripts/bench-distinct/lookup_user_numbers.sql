-- The numbers already given to a batch's users (point lookups in the key-value table).
SELECT user_id, number FROM user_numbers WHERE user_id IN {users:Array(String)}

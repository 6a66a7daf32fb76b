SELECT max(number) AS top, count() AS users FROM user_numbers

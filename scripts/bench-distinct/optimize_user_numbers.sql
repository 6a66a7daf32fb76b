OPTIMIZE TABLE user_numbers

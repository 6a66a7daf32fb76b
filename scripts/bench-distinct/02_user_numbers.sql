-- The user dictionary: one dense number per user id, point lookups by id.
CREATE TABLE user_numbers
(
    user_id String,
    number  UInt32
)
ENGINE = EmbeddedRocksDB
PRIMARY KEY user_id

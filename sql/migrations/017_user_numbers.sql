-- One dense number per user id, so distinct users can be kept in Roaring bitmaps (groupBitmap states), which merge
-- far faster than hash sets of ids and stay exact. The ingest writes a batch's new users here before the batch's
-- events; the rollups read each event's number by key. Numbers are partition × 2^24 + a sequence within it: the
-- writer of a partition numbers its new users, so workers never contend on one counter. A number never changes.
CREATE TABLE IF NOT EXISTS user_numbers_v1
(
    user_id String,
    user_no UInt32
)
ENGINE = EmbeddedRocksDB
PRIMARY KEY user_id

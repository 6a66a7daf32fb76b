-- Dated notes shown on charts. Edits insert a newer version; deletes insert a tombstone.
CREATE TABLE IF NOT EXISTS annotations_v1
(
    id         String,
    ts         DateTime64(3, 'UTC'),
    title      String,
    body       String,
    hashtag    String,
    created_by String,
    deleted    UInt8 DEFAULT 0,
    version    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id

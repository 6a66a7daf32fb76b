-- Every batch is recorded here before it is inserted: (source, partition, first..last offset). After a crash the
-- ingest re-forms the in-doubt batches on exactly these boundaries, so the retried insert carries the same
-- insert_deduplication_token and the engine stores it once, in the raw table and in every rollup.
CREATE TABLE IF NOT EXISTS ingest_ledger_v1
(
    source       LowCardinality(String),
    partition    UInt32,
    first_offset UInt64,
    last_offset  UInt64,
    rows         UInt32,
    created_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (source, partition, first_offset)

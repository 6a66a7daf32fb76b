-- What the dedup window needs from a batch's record: the offsets it left out because their event id was already
-- stored (a producer's resend), so a batch re-formed after a crash leaves out exactly the same messages and its
-- dedup token still names the same rows; and the newest event time it held (epoch ms, 0 when not recorded), so a
-- restarted consumer knows how far each partition had got in event time and which stored ids to load.
ALTER TABLE ingest_ledger_v1
    ADD COLUMN IF NOT EXISTS dropped Array(UInt64) DEFAULT [] AFTER rows,
    ADD COLUMN IF NOT EXISTS max_ts Int64 DEFAULT 0 AFTER dropped

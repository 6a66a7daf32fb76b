-- Superseded by region_activity_1m_v2 (bitmaps of user numbers).
DROP VIEW IF EXISTS region_activity_1m_mv_v1

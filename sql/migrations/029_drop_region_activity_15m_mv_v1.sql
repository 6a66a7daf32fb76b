-- Superseded by region_users_15m_v1 and region_activity_15m_v2 (bitmaps of user numbers).
DROP VIEW IF EXISTS region_activity_15m_mv_v1

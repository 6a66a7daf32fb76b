DROP TABLE IF EXISTS region_activity_15m_v1

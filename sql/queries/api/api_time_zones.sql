-- Time zone names the engine knows, so a zone the API accepts is one every query can use.
-- params: none
-- row: time_zone String
SELECT time_zone FROM system.time_zones

-- The start of the local hour holding `instant` in the zone {tz:String}, as epoch seconds: the instant minus its
-- local minutes. The engine's toStartOfHour(instant, tz) misplaces the hours of the day on which Lord Howe's clocks
-- move by 30 minutes; timeZoneOffset agrees with Intl in every zone tested.
-- args: instant
toUnixTimestamp(instant) - modulo(toUnixTimestamp(instant) + timeZoneOffset(toTimeZone(instant, {tz:String})), 3600)

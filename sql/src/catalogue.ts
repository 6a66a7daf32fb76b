// Generated from the headers of sql/queries/**/*.sql by `pnpm sql:catalogue`: edit those and run it again.
// sql/src/catalogue.test.ts fails when this file is stale, or when a header says what the engine does not.

/** Every named query: the parameters it takes and the row it returns. */
export interface QueryCatalogue {
  /** The newest version of one annotation, tombstone or not, with its version time (a delete must write a newer one). (`api/api_annotation_get.sql`) */
  api_annotation_get: {
    params: {
      id: string
    }
    row: {
      id: string
      ts: number
      title: string
      body: string
      hashtag: string
      created_by: string
      deleted: number
      latest_version: number
    }
  }
  /** How many annotation rows exist at all (tombstones included): seeding runs only on an empty table. (`api/api_annotations_count.sql`) */
  api_annotations_count: {
    params: Record<string, never>
    row: {
      rows: number
    }
  }
  /** Live annotations (newest version of each id, tombstones dropped) dated in [from, to). (`api/api_annotations_list.sql`) */
  api_annotations_list: {
    params: {
      /** epoch ms */
      from: number
      /** epoch ms */
      to: number
    }
    row: {
      id: string
      ts: number
      title: string
      body: string
      hashtag: string
    }
  }
  /** The engine's version, for diagnostics and benchmark reports. (`api/api_engine_version.sql`) */
  api_engine_version: {
    params: Record<string, never>
    row: {
      version: string
    }
  }
  /** Raw events an export of [from, to) with these filters would write: counted before streaming, for the row cap. (`api/api_events_count.sql`) */
  api_events_count: {
    params: {
      /** epoch ms */
      from: number
      /** epoch ms */
      to: number
      /** empty: all */
      regions: readonly string[]
      /** empty: all */
      types: readonly string[]
      /** empty: all */
      tags: readonly string[]
    }
    row: {
      rows: number
    }
  }
  /** A raw events export as CSV rows, in (ts, id) order, streamed by the engine block by block. Times are local ISO 8601 with the zone's offset; text cells a spreadsheet would run as a formula (leading = + - @ tab CR) and cells starting with the apostrophe used for that are prefixed with an apostrophe. Column order is the export's header: t, ts, id, type, user_id, note_id, hashtags, region, country, lang. (`api/api_events_csv.sql`) */
  api_events_csv: {
    params: {
      /** epoch ms */
      from: number
      /** epoch ms */
      to: number
      tz: string
      /** empty: all */
      regions: readonly string[]
      /** empty: all */
      types: readonly string[]
      /** empty: all */
      tags: readonly string[]
    }
    row: {
      t: string
      ts_ms: number
      id_cell: string
      type_cell: string
      user_cell: string
      note_cell: string
      hashtags_cell: string
      region: string
      country: string
      lang: string
    }
  }
  /** The time span of the stored events and their number, for the dashboard's default range. (`api/api_events_range.sql`) */
  api_events_range: {
    params: Record<string, never>
    row: {
      events: number
      first_ts: number
      last_ts: number
    }
  }
  /** Views, discussions, events and active users per minute for the newest minutes, from the 1-minute rollup. (`api/api_live_minutes.sql`) */
  api_live_minutes: {
    params: {
      /** epoch ms, whole minutes */
      from: number
      /** epoch ms, whole minutes */
      to: number
    }
    row: {
      ts: number
      views: number
      discussions: number
      total_events: number
      active_users: number
    }
  }
  /** Overview figures of the current period [from, to) and the previous one [previous_from, from), in one statement so that active and new users are read from one snapshot of the tables: a user first seen in a period is active in it, so new users can never exceed active users, however fast events arrive. Views, discussions, events and active users come from the 15-minute all-types rollup; foreign events come from a known country other than CN (events without a region are neither). New users are those whose first event falls in the period; user_first_seen_v1 holds one partial row per insert until merges, so each candidate's rows are merged with min() first, and a user's region is the one recorded with their earliest row. (`api/api_overview.sql`) */
  api_overview: {
    params: {
      /** epoch ms, whole quarter hours */
      previous_from: number
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      to: number
      /** empty: all */
      regions: readonly string[]
    }
    row: {
      period: string
      views: number
      discussions: number
      total_events: number
      located_events: number
      foreign_events: number
      active_users: number
      new_users: number
    }
  }
  /** Hour-of-day by local day in a time zone, from the 15-minute rollups (the all-types one without a type filter, the per-type one with; the branch not taken reads no part): events and active users of the focus regions within the region filter, and the totals of the filter (all regions when it is empty). Grouping on the local (day, hour) merges the two 01:00 hours of a DST fall-back day. (`api/api_region_heatmap.sql`) */
  api_region_heatmap: {
    params: {
      /** epoch ms, whole hours in tz */
      from: number
      /** epoch ms, whole hours in tz */
      to: number
      tz: string
      /** the filter; empty: all */
      regions: readonly string[]
      /** the regions whose part is the value; empty: the whole filter */
      focus: readonly string[]
      /** empty: all */
      types: readonly string[]
      metric: 'users' | 'events'
    }
    row: {
      day: string
      hour: number
      ts: number
      value_events: number
      total_events: number
      value_users: number
      total_users: number
    }
  }
  /** Events and active users per bucket per region key, from the 15-minute rollups, plus each bucket's total (the row whose is_total is 1). Keys outside the given top list are folded into 'other', so 'other' users are exact. Without a type filter the all-types rollup answers (one bitmap per bucket and region); with one, the per-type rollup. The branch not taken has a WHERE that is constant false, so it reads no part. (`api/api_region_series_15m.sql`) */
  api_region_series_15m: {
    params: {
      /** epoch ms, bucket-aligned */
      from: number
      /** epoch ms, bucket-aligned */
      to: number
      tz: string
      step: '15m' | 'hour' | 'day'
      /** empty: all */
      regions: readonly string[]
      /** empty: all */
      types: readonly string[]
      level: 'country' | 'province'
      /** the regions shown */
      keys: readonly string[]
      metric: 'users' | 'events'
    }
    row: {
      ts: number
      key: string
      is_total: number
      events: number
      users: number
    }
  }
  /** Events and active users per minute per region key, from the 1-minute rollup, plus each minute's total (the row whose is_total is 1). Keys outside the given top list are folded into 'other', so 'other' users are exact. (`api/api_region_series_1m.sql`) */
  api_region_series_1m: {
    params: {
      /** epoch ms, whole minutes */
      from: number
      /** epoch ms, whole minutes */
      to: number
      /** empty: all */
      regions: readonly string[]
      /** empty: all */
      types: readonly string[]
      level: 'country' | 'province'
      /** the regions shown */
      keys: readonly string[]
      metric: 'users' | 'events'
    }
    row: {
      ts: number
      key: string
      is_total: number
      events: number
      users: number
    }
  }
  /** Regions ranked by events or active users over a range, from the 15-minute rollups (the all-types one without a type filter, the per-type one with; the branch not taken reads no part). At level 'province' CN is split into its provinces and other countries stay whole. Events without a known region are left out. (`api/api_region_top.sql`) */
  api_region_top: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      to: number
      /** empty: all */
      regions: readonly string[]
      /** empty: all */
      types: readonly string[]
      level: 'country' | 'province'
      metric: 'users' | 'events'
      limit: number
    }
    row: {
      key: string
      events: number
      users: number
    }
  }
  /** The start of the first quarter hour in [from, to) holding any tagged view, post or comment, as epoch ms (0 when there is none). Nothing was recorded before it, so trending rates are spread over the time from here on: a window longer than the data would read as a quiet baseline and make every tag look like it grows. (`api/api_tag_coverage.sql`) */
  api_tag_coverage: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      to: number
    }
    row: {
      first_ms: number
    }
  }
  /** Views and discussions per tag per bucket in a time zone, from the 15-minute rollup (exact for 15m, hour and day buckets in every zone in use, whose offsets are whole quarter hours). (`api/api_tag_series_15m.sql`) */
  api_tag_series_15m: {
    params: {
      tags: readonly string[]
      /** epoch ms, bucket-aligned */
      from: number
      /** epoch ms, bucket-aligned */
      to: number
      tz: string
      step: '15m' | 'hour' | 'day'
      /** empty: all */
      regions: readonly string[]
    }
    row: {
      tag: string
      ts: number
      views: number
      discussions: number
    }
  }
  /** Views and discussions per tag per bucket in a time zone, all regions, from the region-less 15-minute totals. (api_tag_series_15m answers the same with a region filter.) (`api/api_tag_series_15m_all.sql`) */
  api_tag_series_15m_all: {
    params: {
      tags: readonly string[]
      /** epoch ms, bucket-aligned */
      from: number
      /** epoch ms, bucket-aligned */
      to: number
      tz: string
      step: '15m' | 'hour' | 'day'
    }
    row: {
      tag: string
      ts: number
      views: number
      discussions: number
    }
  }
  /** Views and discussions per tag per minute, from the 1-minute rollup. (`api/api_tag_series_1m.sql`) */
  api_tag_series_1m: {
    params: {
      tags: readonly string[]
      /** epoch ms, whole minutes */
      from: number
      /** epoch ms, whole minutes */
      to: number
      /** empty: all */
      regions: readonly string[]
    }
    row: {
      tag: string
      ts: number
      views: number
      discussions: number
    }
  }
  /** Top tags over a range by views or discussions, from the 15-minute rollup; ties broken by tag for a stable order. (`api/api_tag_top.sql`) */
  api_tag_top: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      to: number
      /** empty: all */
      regions: readonly string[]
      by: 'views' | 'discussions'
      limit: number
    }
    row: {
      tag: string
      views: number
      discussions: number
    }
  }
  /** Top tags over a range by views or discussions, all regions, from the region-less 15-minute totals; ties broken by tag for a stable order. (api_tag_top answers the same with a region filter.) (`api/api_tag_top_all.sql`) */
  api_tag_top_all: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      to: number
      by: 'views' | 'discussions'
      limit: number
    }
    row: {
      tag: string
      views: number
      discussions: number
    }
  }
  /** Views and discussions per tag before an instant: whole quarter hours from the 15-minute rollup, the minutes between the last quarter hour and the instant from the 1-minute rollup. Cumulative series start from these. (`api/api_tag_totals_before.sql`) */
  api_tag_totals_before: {
    params: {
      tags: readonly string[]
      /** epoch ms, a quarter hour at or before `before` */
      quarter_before: number
      /** epoch ms, a whole minute */
      before: number
      /** empty: all */
      regions: readonly string[]
    }
    row: {
      tag: string
      views: number
      discussions: number
    }
  }
  /** Views and discussions per tag before an instant, all regions: whole quarter hours from the region-less totals, the minutes after the last quarter hour from the 1-minute rollup. (api_tag_totals_before takes a region filter.) (`api/api_tag_totals_before_all.sql`) */
  api_tag_totals_before_all: {
    params: {
      tags: readonly string[]
      /** epoch ms, a quarter hour at or before `before` */
      quarter_before: number
      /** epoch ms, a whole minute */
      before: number
    }
    row: {
      tag: string
      views: number
      discussions: number
    }
  }
  /** Breakout tags in the chosen regions: each tag's count of the chosen metric in the recent window [recent_from, to) and in the baseline [from, recent_from) before it, as rates over the hours of each window the data covers (recent_hours, baseline_hours; see api_tag_coverage). Tags with a baseline are ranked by the multiple of their own baseline rate; tags without one follow by recent volume. A tag is new when it has no event of any type in these regions before the recent window at all, not merely none in the baseline. From the 15-minute rollup. (`api/api_tag_trending.sql`) */
  api_tag_trending: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      recent_from: number
      /** epoch ms, whole quarter hours */
      to: number
      recent_hours: number
      baseline_hours: number
      regions: readonly string[]
      by: 'views' | 'discussions'
      min_multiple: number
      min_recent: number
      limit: number
    }
    row: {
      tag: string
      recent: number
      baseline: number
      views: number
      recent_rate: number
      baseline_rate: number
      is_new: number
      multiple: number
    }
  }
  /** Breakout tags over all regions: each tag's count of the chosen metric in the recent window [recent_from, to) and in the baseline [from, recent_from) before it, as rates over the hours of each window the data covers (recent_hours, baseline_hours; see api_tag_coverage). Tags with a baseline are ranked by the multiple of their own baseline rate; tags without one follow by recent volume. A tag is new when it has no event of any type before the recent window at all, not merely none in the baseline. The window totals come from the region-less 15-minute totals; the history check from the 15-minute rollup, ordered by tag, so it reads only those tags. (api_tag_trending answers the same with a region filter.) (`api/api_tag_trending_all.sql`) */
  api_tag_trending_all: {
    params: {
      /** epoch ms, whole quarter hours */
      from: number
      /** epoch ms, whole quarter hours */
      recent_from: number
      /** epoch ms, whole quarter hours */
      to: number
      recent_hours: number
      baseline_hours: number
      by: 'views' | 'discussions'
      min_multiple: number
      min_recent: number
      limit: number
    }
    row: {
      tag: string
      recent: number
      baseline: number
      views: number
      recent_rate: number
      baseline_rate: number
      is_new: number
      multiple: number
    }
  }
  /** Time zone names the engine knows, so a zone the API accepts is one every query can use. (`api/api_time_zones.sql`) */
  api_time_zones: {
    params: Record<string, never>
    row: {
      time_zone: string
    }
  }
  /** Benchmark only: the answer of api_tag_series_15m computed from the raw events instead of the rollup, to measure what the rollup saves. Same parameters and rows (bucket start in `bucket_ts`). (`bench/bench_growth_raw.sql`) */
  bench_growth_raw: {
    params: {
      tags: readonly string[]
      /** epoch ms */
      from: number
      /** epoch ms */
      to: number
      tz: string
      step: '15m' | 'hour' | 'day'
      /** empty: all */
      regions: readonly string[]
    }
    row: {
      tag: string
      bucket_ts: number
      views: number
      discussions: number
    }
  }
  /** Benchmark only: the answer of api_tag_top computed from the raw events instead of the rollup. (`bench/bench_top_raw.sql`) */
  bench_top_raw: {
    params: {
      /** epoch ms */
      from: number
      /** epoch ms */
      to: number
      /** empty: all */
      regions: readonly string[]
      by: 'views' | 'discussions'
      limit: number
    }
    row: {
      tag: string
      views: number
      discussions: number
    }
  }
  /** The engine's server and MergeTree settings by name, to check what it started with. (`checks/engine_settings.sql`) */
  engine_settings: {
    params: {
      names: readonly string[]
    }
    row: {
      name: string
      value: string
    }
  }
  /** One raw event's timestamp by id (epoch ms), for support look-ups and tests. (`checks/events_by_id.sql`) */
  events_by_id: {
    params: {
      id: string
    }
    row: {
      ts: number
    }
  }
  /** Row count, distinct ids and the sums held by each rollup: what the exactness tests and benchmarks compare. An aggregate without GROUP BY always returns one row, so no subquery is ever NULL. (`checks/events_totals.sql`) */
  events_totals: {
    params: Record<string, never>
    row: {
      events: number
      distinct_ids: number
      tag_mentions: number
      tag_rollup_15m: number
      tag_rollup_1m: number
      region_rollup_15m: number
      region_types_15m: number
      tag_totals_15m: number
      region_rollup_1m: number
    }
  }
  /** Event ids stored at or after an event time: the ingest's dedup window, loaded when a consumer joins its group. (`ingest/ingest_ids_since.sql`) */
  ingest_ids_since: {
    params: {
      /** epoch ms */
      from_ms: number
    }
    row: {
      id: string
      /** epoch ms */
      ts: number
    }
  }
  /** The newest batch recorded for one source partition (a replay resumes from it). (`ingest/ingest_ledger_last.sql`) */
  ingest_ledger_last: {
    params: {
      source: string
      partition: number
    }
    row: {
      first_offset: number
      last_offset: number
      rows: number
    }
  }
  /** Batches of one source partition recorded at or after an offset: the in-doubt batches to re-form after a crash. (`ingest/ingest_ledger_since.sql`) */
  ingest_ledger_since: {
    params: {
      source: string
      partition: number
      from_offset: number
    }
    row: {
      first_offset: number
      last_offset: number
      rows: number
      /** offsets left out as resends */
      dropped: number[]
    }
  }
  /** The newest stored event of the synthetic live feed at or after `since` (epoch ms; 0 when there is none): a feed that starts again fills in the time from here, so no second of it is stored twice, however often it restarts. The raw table is ordered by time first, so only the rows since `since` are read. (`ingest/ingest_live_newest.sql`) */
  ingest_live_newest: {
    params: {
      /** epoch ms */
      since: number
      /** the id prefix of every live event */
      prefix: string
    }
    row: {
      newest_ms: number
    }
  }
  /** The newest event time each partition of a source had reached, from the ledger: where a restarted consumer's dedup window ends on each partition. (`ingest/ingest_partition_event_times.sql`) */
  ingest_partition_event_times: {
    params: {
      source: string
    }
    row: {
      partition: number
      /** epoch ms */
      newest_ts: number
    }
  }
  /** Event ids stored within a window of event time before the newest stored event: the ingest's dedup window, loaded when a consumer joins its group. (`ingest/ingest_recent_ids.sql`) */
  ingest_recent_ids: {
    params: {
      /** the window length */
      window_ms: number
    }
    row: {
      id: string
      /** epoch ms */
      ts: number
    }
  }
  /** The highest number given in one range of the user dictionary (range × 2^24 + sequence), 0 when the range has none: where a process's numbering of that range continues. Read once per range and process (and again when a Kafka partition is assigned), so the scan of the dictionary it takes is rare. (`ingest/ingest_user_numbers_last.sql`) */
  ingest_user_numbers_last: {
    params: {
      /** 0-255 */
      range: number
    }
    row: {
      last_no: number
    }
  }
  /** The numbers of the given users that the dictionary holds (users without one are absent). The dictionary is a key-value table keyed by user id, so the engine answers with point lookups of these keys, not a scan. (`ingest/ingest_user_numbers_lookup.sql`) */
  ingest_user_numbers_lookup: {
    params: {
      /** user ids */
      ids: readonly string[]
    }
    row: {
      user_id: string
      user_no: number
    }
  }
  /** Events and distinct users per country per hour or day in a time zone, from the 15-minute rollups as the API reads them: the all-types one when types is empty, else the per-type one. (`checks/rollup_region_buckets.sql`) */
  rollup_region_buckets: {
    params: {
      /** epoch ms, inclusive */
      from: number
      /** epoch ms, exclusive */
      to: number
      tz: string
      step: 'hour' | 'day'
      /** empty: all */
      types: readonly string[]
    }
    row: {
      t: number
      country: string
      events: number
      users: number
    }
  }
  /** Events per hashtag, type and country per hour or day in a time zone, from the 15-minute rollup. Used to prove the rollups against the raw events, and as the shape the dashboards' series queries follow. (`checks/rollup_tag_buckets.sql`) */
  rollup_tag_buckets: {
    params: {
      /** epoch ms, inclusive */
      from: number
      /** epoch ms, exclusive */
      to: number
      tz: string
      step: 'hour' | 'day'
    }
    row: {
      t: number
      hashtag: string
      type: 'view' | 'post' | 'comment' | 'ip_region'
      country: string
      events: number
    }
  }
  /** Migrations already applied, for the migration runner. (`migrate/schema_migrations_applied.sql`) */
  schema_migrations_applied: {
    params: Record<string, never>
    row: {
      version: number
      name: string
      checksum: string
    }
  }
  /** Users with stored events but no number in the user dictionary: their events are left out of every distinct-user count read through the number, so this must always be empty. (`checks/user_numbers_missing.sql`) */
  user_numbers_missing: {
    params: Record<string, never>
    row: {
      user_id: string
      events: number
    }
  }
  /** Numbers held by more than one user in the user dictionary: those users would count as one, so this must always be empty. (A user holds one number by construction: the dictionary is keyed by user id.) (`checks/user_numbers_shared.sql`) */
  user_numbers_shared: {
    params: Record<string, never>
    row: {
      user_no: number
      user_ids: string[]
    }
  }
}

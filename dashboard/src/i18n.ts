/**
 * Messages in English and Simplified Chinese, and every number and date format the dashboard shows. Dates are always
 * formatted with an explicit IANA zone (the viewer's choice), never the browser's.
 */
import { TZDate } from '@date-fns/tz'
import { STORY_NOTES } from '@trendlens/contract'
import { format } from 'date-fns'

export type Lang = 'en' | 'zh-CN'
export const LANGS: readonly Lang[] = ['en', 'zh-CN']

const en = {
  appName: 'TrendLens',
  tagline: 'Trend and traffic analytics',
  skipToContent: 'Skip to content',
  controls: 'View controls',
  range: 'Range',
  presetStory: 'Story week',
  presetSurge: 'Surge day',
  preset1h: 'Last 1h',
  preset24h: 'Last 24h',
  preset7d: 'Last 7d',
  presetCustom: 'Custom',
  from: 'From',
  to: 'To',
  apply: 'Apply',
  granularity: 'Granularity',
  granularityAuto: 'Auto',
  granularityMinute: 'Minute',
  granularity15m: '15 min',
  granularityHour: 'Hour',
  granularityDay: 'Day',
  granularityTooFine: '(too fine)',
  timeZone: 'Time zone',
  timeZoneOther: 'Other…',
  timeZoneInput: 'IANA time zone',
  timeZoneInvalid: 'Unknown time zone. Use an IANA name such as Europe/Berlin.',
  regionFilter: 'Regions',
  regionFilterPlaceholder: 'all (e.g. CN, US, CN-SH)',
  regionFilterInvalid: 'Use region codes such as CN, US or CN-SH, separated by commas.',
  typeFilter: 'Event types',
  typeView: 'views',
  typePost: 'posts',
  typeComment: 'comments',
  typeIpRegion: 'IP heartbeats',
  language: 'Language',
  theme: 'Theme',
  themeAuto: 'Auto',
  themeLight: 'Light',
  themeDark: 'Dark',
  live: 'Live',
  paused: 'Paused',
  pause: 'Pause live updates',
  resume: 'Resume live updates',
  goLive: 'Go live (last 24h)',
  liveHistorical: 'the range ends in the past',
  liveByUser: 'by you',
  liveConnecting: 'Connecting…',
  liveUpdated: 'Updated {time}',
  kpis: 'Overview',
  kpiViews: 'Views',
  kpiDiscussions: 'Discussions',
  kpiActiveUsers: 'Active users',
  kpiNewUsers: 'New users',
  kpiForeignShare: 'Foreign share',
  vsPrevious: 'vs previous period',
  fromZero: 'from 0 in the previous period',
  zeroBoth: '0 in both periods',
  noPrevious: 'no previous data',
  ingest: 'Ingest health',
  ingestLag: 'Lag',
  ingestRate: 'Events/s',
  ingestDlq: 'DLQ',
  ingestStored: 'Stored',
  ingestLastMinute: 'This minute',
  ingestMode: 'Source',
  ingestError: 'Last error',
  loadProgress: 'Loading the story: {percent} · {rows} of {expected} events · ETA {eta}',
  loadProgressUnknown: 'Loading the story: {rows} events · {rate} events/s',
  growth: 'Hashtag growth',
  growthCumulative: 'Cumulative',
  growthPerBucket: 'Per bucket',
  growthMode: 'Curve',
  growthMetric: 'Measure',
  showTable: 'Table',
  metricViews: 'Views',
  metricDiscussions: 'Discussions',
  tags: 'Hashtags',
  addTag: 'Add hashtag',
  addTagPlaceholder: 'add a tag to compare',
  removeTag: 'Remove {tag}',
  maxTags: 'Up to 5 hashtags',
  milestone: 'Milestone',
  annotations: 'Annotations',
  top: 'Top hashtags',
  trending: 'Trending (breakout)',
  byViews: 'by views',
  byDiscussions: 'by discussions',
  colTag: 'Hashtag',
  colViews: 'Views',
  colDiscussions: 'Discussions',
  colMultiple: 'Growth',
  colRecentRate: 'Recent /h',
  colTime: 'Time',
  colCumViews: 'Cumulative views',
  colCumDiscussions: 'Cumulative discussions',
  colRegion: 'Region',
  colShare: 'Share',
  colLeader: 'Leader',
  colTotal: 'Total',
  colDay: 'Day',
  colHour: 'Hour',
  colValue: 'Value',
  isNew: 'new',
  isBack: 'back',
  chartTag: 'Chart {tag}',
  compareTag: 'Add {tag} to the comparison',
  trendingWindow: 'Recent {recent} vs baseline {baseline}',
  trendingNoBaseline: 'Recent {recent}; no data before it to compare with',
  split: 'IP region split',
  splitLevel: 'Level',
  levelCountry: 'Countries',
  levelProvince: 'CN provinces',
  splitMetric: 'Measure',
  metricUsers: 'Active users',
  metricEvents: 'Events',
  crossovers: 'Crossovers',
  crossoverItem: '{from} → {to}',
  noCrossovers: 'No lead changes in this range.',
  heatmap: 'Hour of day × day',
  heatmapRegion: 'Region',
  heatmapValue: 'Show',
  heatmapShare: 'Share of hour',
  heatmapCount: 'Count',
  hoursIn: 'Hours in {tz}',
  other: 'Other',
  exportCsv: 'CSV',
  exportPng: 'PNG',
  exportCsvLabel: 'Download {what} as CSV',
  exportPngLabel: 'Download {what} as PNG',
  loading: 'Loading…',
  empty: 'No data in this range.',
  heatOutsideFilter: '{region} is outside the region filter, so its part is 0. Pick a region within the filter.',
  emptyHint: 'Try a wider range or other filters.',
  emptyTags: 'Pick a hashtag to chart.',
  errorTitle: 'Could not load {what}.',
  errorRequest: 'Request {id}',
  retry: 'Retry',
  dataTable: 'Data for {what}',
  networkError: 'The API could not be reached. Check that TrendLens is running.',
  tokenTitle: 'An API token is needed',
  tokenHelp: 'This deployment’s API needs a token. Ask your administrator for one; it is kept in this browser only.',
  tokenRefused: 'The API refused the stored token. Enter it again.',
  tokenLabel: 'API token',
  tokenSubmit: 'Continue',
  reachedAt: 'reached {time}',
  cumulativeBy: 'Total by {time}',
  cumulativeByShort: 'by end of bucket',
  inProgress: 'in progress',
  previousPeriod: 'previous period',
  bucketInterval: 'Bucket',
  changePoints: '{value} pp',
  help: 'What is {what}?',
  helpViews: 'Views of notes carrying the hashtag (or of any note, in the overview) in the range.',
  helpDiscussions: 'Posts and comments: people writing, not only reading.',
  helpActiveUsers: 'Distinct users with at least one event (view, post, comment or IP heartbeat) in the range.',
  helpNewUsers: 'Users whose first event ever falls in the range. Every new user is also an active user.',
  helpForeignShare:
    'Share of events located in a country other than China (by IP region). Its change is in percentage points (pp).',
  helpMultiple:
    'Growth ×: the tag’s events per hour in the recent window divided by its own events per hour in the baseline window before it. Both rates count only the hours the data covers.',
  helpRecentRate: 'Events per hour in the recent window, over the part of it the data covers (up to now).',
  helpIpHeartbeats:
    'IP heartbeats: periodic pings that carry only the user’s IP region (no note), so regions count silent readers too.',
  helpLag: 'Lag: messages waiting in Kafka that ingest has not stored yet. 0 means the tables are up to date.',
  helpDlq: 'DLQ (dead-letter queue): malformed events set aside with a reason instead of being stored.',
  helpEventsLastMinute: 'Events stored with a timestamp in the last complete minute.',
  helpNew: 'new: the tag has no events at all before the recent window.',
  helpBack: 'back: the tag was seen before, but not in the baseline window, so there is no multiple.',
  eventsLastMinute: 'Events, last minute',
  partialBucket: '{interval} is still in progress: its value will grow.',
  annotationAdd: '+ Note',
  annotationDelete: 'Delete this note',
  annotationWhen: 'When',
  annotationTitle: 'Note',
  annotationAllTags: 'all hashtags',
  annotationSave: 'Save note',
  annotationInvalid: 'Give a time and a title.',
  cancel: 'Cancel',
  close: 'Close',
  filteredBy: 'Filtered: {filters}',
  ignoresTypeKpis: 'Not filtered by event type: views, discussions and users are each defined by their own types.',
  ignoresTypeGrowth: 'Not filtered by event type: growth counts views, and posts + comments, by definition.',
  ignoresTypeTags: 'Not filtered by event type: tags are ranked by views or by discussions, as chosen above.',
  rawExport: 'Raw events',
  rawExportOpen: 'Export CSV…',
  rawExportOnlyTags: 'only {tags}',
  rawExportCounting: 'Counting rows…',
  rawExportRows: '{rows} rows in this view',
  rawExportTooMany: 'More than the export limit of {limit} rows: narrow the range or the filters.',
  rawExportStart: 'Download',
  rawExportProgress: '{received} of {rows} rows…',
  rawExportDone: 'Downloaded {received} of {rows} rows',
} as const

export type MessageKey = keyof typeof en

const zh: Record<MessageKey, string> = {
  appName: 'TrendLens',
  tagline: '趋势与流量分析',
  skipToContent: '跳到内容',
  controls: '视图控制',
  range: '时间范围',
  presetStory: '事件周',
  presetSurge: '爆发日',
  preset1h: '最近1小时',
  preset24h: '最近24小时',
  preset7d: '最近7天',
  presetCustom: '自定义',
  from: '开始',
  to: '结束',
  apply: '应用',
  granularity: '粒度',
  granularityAuto: '自动',
  granularityMinute: '分钟',
  granularity15m: '15分钟',
  granularityHour: '小时',
  granularityDay: '天',
  granularityTooFine: '（过细）',
  timeZone: '时区',
  timeZoneOther: '其他…',
  timeZoneInput: 'IANA 时区',
  timeZoneInvalid: '未知时区。请使用 IANA 名称，例如 Europe/Berlin。',
  regionFilter: '地区',
  regionFilterPlaceholder: '全部（如 CN, US, CN-SH）',
  regionFilterInvalid: '请使用 CN、US 或 CN-SH 这样的地区代码，用逗号分隔。',
  typeFilter: '事件类型',
  typeView: '浏览',
  typePost: '笔记',
  typeComment: '评论',
  typeIpRegion: 'IP 心跳',
  language: '语言',
  theme: '主题',
  themeAuto: '跟随系统',
  themeLight: '浅色',
  themeDark: '深色',
  live: '实时',
  paused: '已暂停',
  pause: '暂停实时更新',
  resume: '恢复实时更新',
  goLive: '切换到实时（最近24小时）',
  liveHistorical: '时间范围已结束',
  liveByUser: '手动暂停',
  liveConnecting: '连接中…',
  liveUpdated: '更新于 {time}',
  kpis: '概览',
  kpiViews: '浏览量',
  kpiDiscussions: '讨论量',
  kpiActiveUsers: '活跃用户',
  kpiNewUsers: '新用户',
  kpiForeignShare: '海外占比',
  vsPrevious: '较上一周期',
  fromZero: '上一周期为 0',
  zeroBoth: '两个周期均为 0',
  noPrevious: '无上期数据',
  ingest: '数据接入',
  ingestLag: '延迟',
  ingestRate: '事件/秒',
  ingestDlq: '死信',
  ingestStored: '已入库',
  ingestLastMinute: '本分钟',
  ingestMode: '来源',
  ingestError: '最近错误',
  loadProgress: '正在载入故事：{percent} · 已载入 {rows} / {expected} 条事件 · 预计剩余 {eta}',
  loadProgressUnknown: '正在载入故事：已载入 {rows} 条事件 · 每秒 {rate} 条',
  growth: '话题增长',
  growthCumulative: '累计',
  growthPerBucket: '分时段',
  growthMode: '曲线',
  growthMetric: '指标',
  showTable: '表格',
  metricViews: '浏览量',
  metricDiscussions: '讨论量',
  tags: '话题',
  addTag: '添加话题',
  addTagPlaceholder: '添加话题进行对比',
  removeTag: '移除 {tag}',
  maxTags: '最多 5 个话题',
  milestone: '里程碑',
  annotations: '标注',
  top: '热门话题',
  trending: '飙升话题',
  byViews: '按浏览量',
  byDiscussions: '按讨论量',
  colTag: '话题',
  colViews: '浏览量',
  colDiscussions: '讨论量',
  colMultiple: '增长倍数',
  colRecentRate: '近期/小时',
  colTime: '时间',
  colCumViews: '累计浏览量',
  colCumDiscussions: '累计讨论量',
  colRegion: '地区',
  colShare: '占比',
  colLeader: '领先',
  colTotal: '合计',
  colDay: '日期',
  colHour: '小时',
  colValue: '数值',
  isNew: '新',
  isBack: '回归',
  chartTag: '查看 {tag} 的曲线',
  compareTag: '将 {tag} 加入对比',
  trendingWindow: '近期 {recent}，对比基线 {baseline}',
  trendingNoBaseline: '近期 {recent}；此前没有可对比的数据',
  split: 'IP 属地分布',
  splitLevel: '层级',
  levelCountry: '国家/地区',
  levelProvince: '中国省份',
  splitMetric: '指标',
  metricUsers: '活跃用户',
  metricEvents: '事件数',
  crossovers: '交叉点',
  crossoverItem: '{from} → {to}',
  noCrossovers: '此范围内领先地区没有变化。',
  heatmap: '小时 × 日期',
  heatmapRegion: '地区',
  heatmapValue: '显示',
  heatmapShare: '该小时占比',
  heatmapCount: '数量',
  hoursIn: '按 {tz} 时间',
  other: '其他',
  exportCsv: 'CSV',
  exportPng: 'PNG',
  exportCsvLabel: '下载{what} CSV',
  exportPngLabel: '下载{what} PNG 图片',
  loading: '加载中…',
  empty: '此范围内没有数据。',
  heatOutsideFilter: '{region}不在地区筛选范围内,其占比为 0。请选择筛选范围内的地区。',
  emptyHint: '试试更宽的时间范围或其他筛选条件。',
  emptyTags: '请选择一个话题。',
  errorTitle: '无法加载{what}。',
  errorRequest: '请求 {id}',
  retry: '重试',
  dataTable: '{what}数据',
  networkError: '无法连接 API，请确认 TrendLens 正在运行。',
  tokenTitle: '需要访问令牌',
  tokenHelp: '此部署的 API 需要令牌。请向管理员索取，令牌只保存在本浏览器中。',
  tokenRefused: 'API 拒绝了已保存的令牌，请重新输入。',
  tokenLabel: 'API 令牌',
  tokenSubmit: '继续',
  reachedAt: '达成于 {time}',
  cumulativeBy: '截至 {time} 累计',
  cumulativeByShort: '截至时段结束',
  inProgress: '进行中',
  previousPeriod: '上一周期',
  bucketInterval: '时段',
  changePoints: '{value} 个百分点',
  help: '{what}是什么？',
  helpViews: '范围内带该话题的笔记的浏览次数（概览中为全部笔记）。',
  helpDiscussions: '笔记与评论：用户在发言，而不只是浏览。',
  helpActiveUsers: '范围内至少有一个事件（浏览、发帖、评论或 IP 心跳）的不同用户数。',
  helpNewUsers: '首次事件落在范围内的用户。每个新用户也是活跃用户。',
  helpForeignShare: '按 IP 属地位于中国以外国家/地区的事件占比；变化以百分点表示。',
  helpMultiple:
    '增长倍数：话题在近期窗口内每小时的事件数，除以它自己在此前基线窗口内每小时的事件数。两个速率都只按数据覆盖的小时计算。',
  helpRecentRate: '近期窗口内每小时的事件数，只按窗口中数据覆盖的部分（到现在为止）计算。',
  helpIpHeartbeats: 'IP 心跳：只携带用户 IP 属地的定期信号（不含笔记），让地区统计也包括只看不说的用户。',
  helpLag: '延迟：Kafka 中尚未写入的消息数。0 表示数据表已是最新。',
  helpDlq: '死信队列（DLQ）：格式错误的事件连同原因被放到一边，而不是写入。',
  helpEventsLastMinute: '时间戳落在最近一个完整分钟内的已入库事件数。',
  helpNew: '新：该话题在近期窗口之前没有任何事件。',
  helpBack: '回归：该话题以前出现过，但基线窗口内没有，因此没有增长倍数。',
  eventsLastMinute: '最近一分钟事件',
  partialBucket: '{interval} 仍在进行中，数值还会增长。',
  annotationAdd: '+ 标注',
  annotationDelete: '删除此标注',
  annotationWhen: '时间',
  annotationTitle: '标注',
  annotationAllTags: '所有话题',
  annotationSave: '保存标注',
  annotationInvalid: '请填写时间和标题。',
  cancel: '取消',
  close: '关闭',
  filteredBy: '已筛选：{filters}',
  ignoresTypeKpis: '未按事件类型筛选：浏览量、讨论量和用户数各由自己的事件类型定义。',
  ignoresTypeGrowth: '未按事件类型筛选：增长曲线按定义统计浏览，以及笔记与评论。',
  ignoresTypeTags: '未按事件类型筛选：话题按上方所选的浏览量或讨论量排名。',
  rawExport: '原始事件',
  rawExportOpen: '导出 CSV…',
  rawExportOnlyTags: '仅 {tags}',
  rawExportCounting: '正在统计行数…',
  rawExportRows: '此视图共 {rows} 行',
  rawExportTooMany: '超过导出上限 {limit} 行，请缩小时间范围或筛选条件。',
  rawExportStart: '下载',
  rawExportProgress: '已接收 {received} / {rows} 行…',
  rawExportDone: '已下载 {received} / {rows} 行',
}

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh }

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

export function translator(lang: Lang): Translate {
  const messages = MESSAGES[lang]
  return (key, values) => {
    const template = messages[key]
    if (!values) return template
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
  }
}

export function isLang(value: string | null | undefined): value is Lang {
  return value === 'en' || value === 'zh-CN'
}

/** The language of a browser's preference list: Chinese when it asks for any zh, else English. */
export function preferredLang(languages: readonly string[]): Lang {
  for (const language of languages) {
    const lower = language.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

const COMPACT_UNITS: Record<Lang, readonly (readonly [number, string])[]> = {
  en: [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ],
  'zh-CN': [
    [1e12, '万亿'],
    [1e8, '亿'],
    [1e4, '万'],
  ],
}

const numberFormatters = new Map<string, Intl.NumberFormat>()

/** One formatter per language and options: making one costs far more than formatting, and tables format hundreds. */
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`
  let formatter = numberFormatters.get(key)
  if (!formatter) {
    formatter = new Intl.NumberFormat(lang, options)
    numberFormatters.set(key, formatter)
  }
  return formatter
}

/** A whole number with the language's digit grouping: `1,234,567`. */
export function formatInteger(value: number, lang: Lang): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value)
}

/** One decimal below 100 units, none above, trailing `.0` dropped: 1.2万, 8000万, 1.6亿 / 1.2K, 80M, 1.6B. */
function scaled(value: number): string {
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value)
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1)
}

/**
 * Short numbers for KPIs, axes and tooltips: 万/亿 in Chinese, K/M/B in English. Values below the smallest unit keep
 * their digits (9,999 in English, 9999 in Chinese, where 万 starts at 10,000).
 */
export function formatCompact(value: number, lang: Lang): string {
  if (!Number.isFinite(value)) return '–'
  const sign = value < 0 ? '-' : ''
  const abs = Math.abs(value)
  const units = COMPACT_UNITS[lang]
  for (let i = 0; i < units.length; i++) {
    const [size, suffix] = units[i] as readonly [number, string]
    if (abs < size) continue
    const text = scaled(abs / size)
    // Rounding can reach the next unit (9999.96万 → 10000万): say 1亿 instead.
    const larger = units[i - 1]
    if (larger && Number(text) * size >= larger[0]) return `${sign}${scaled(abs / larger[0])}${larger[1]}`
    return `${sign}${text}${suffix}`
  }
  const smallest = units[units.length - 1] as readonly [number, string]
  if (Math.round(abs) >= smallest[0]) return `${sign}1${smallest[1]}`
  if (abs < 10 && !Number.isInteger(abs)) return `${sign}${scaled(abs)}`
  return lang === 'zh-CN' ? `${sign}${Math.round(abs)}` : `${sign}${formatInteger(Math.round(abs), lang)}`
}

/** A share 0..1 as a percentage with one decimal: `61.3%`. */
export function formatPercent(share: number, lang: Lang, digits = 1): string {
  return numberFormat(lang, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share)
}

/** A relative change as a signed percentage (`+25.0%`, `−12.5%`), or undefined when there is none. */
export function formatChange(change: number | null, lang: Lang): string | undefined {
  if (change === null || !Number.isFinite(change)) return undefined
  const text = numberFormat(lang, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(change)
  return text.replace('-', '−')
}

/** A change of a share in percentage points: `+35.3` (the caller adds the unit), or undefined when there is none. */
export function formatPoints(current: number | null, previous: number | null, lang: Lang): string | undefined {
  if (current === null || previous === null) return undefined
  const text = numberFormat(lang, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format((current - previous) * 100)
  return text.replace('-', '−')
}

/** The story's own annotations in both languages, looked up by any note's id; anyone else's note is shown as written. */
const STORY_NOTE_TITLES: Readonly<Record<string, Record<Lang, string>>> = STORY_NOTES

/** An annotation's title in the viewer's language when the product knows it in both. */
export function annotationTitle(annotation: { id: string; title: string }, lang: Lang): string {
  return STORY_NOTE_TITLES[annotation.id]?.[lang] ?? annotation.title
}

/** The body to show under a title: none when it only repeats a story note's title in the other language. */
export function annotationBody(annotation: { id: string; body: string }): string {
  const note = STORY_NOTE_TITLES[annotation.id]
  return note && Object.values(note).includes(annotation.body) ? '' : annotation.body
}

/** A growth multiple: `×12.3`, `×1,240`. */
export function formatMultiple(multiple: number, lang: Lang): string {
  const digits = multiple < 10 ? 1 : 0
  return `×${numberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(multiple)}`
}

/**
 * Date patterns (date-fns) per language. Chinese dates are all digits; English takes its month abbreviations from
 * date-fns' built-in en-US locale, so no locale is loaded and the strings do not vary with the browser's Intl data.
 */
const DATE_PATTERNS: Record<Lang, { date: string; longDate: string; axis: string; moment: string }> = {
  en: { date: 'MMM d', longDate: 'MMM d, y', axis: 'MMM d, HH:mm', moment: 'MMM d, y, HH:mm' },
  'zh-CN': { date: 'M月d日', longDate: 'y年M月d日', axis: 'M月d日 HH:mm', moment: 'y年M月d日 HH:mm' },
}

/**
 * An instant as the chosen zone's clocks show it, in the viewer's language: its day and time (`Jan 13, 14:00` /
 * `1月13日 14:00`), its time with seconds (`14:00:05`) or its day (`Jan 13` / `1月13日`).
 */
export function formatInstant(ts: number, timeZone: string, lang: Lang, style: 'axis' | 'time' | 'date'): string {
  const pattern = style === 'time' ? 'HH:mm:ss' : DATE_PATTERNS[lang][style]
  return format(new TZDate(ts, timeZone), pattern)
}

/**
 * The interval a bucket covers, in the chosen zone: `Jan 13, 2025, 14:00–15:00` (`2025年1月13日 14:00–15:00`), or
 * the date alone for a daily bucket. A bucket ending at midnight reads `23:00–24:00`.
 */
export function formatInterval(start: number, end: number, timeZone: string, lang: Lang, daily: boolean): string {
  const patterns = DATE_PATTERNS[lang]
  const from = new TZDate(start, timeZone)
  if (daily) return format(from, patterns.longDate)
  const to = new TZDate(end, timeZone)
  const endClock = format(to, 'HH:mm')
  const endShown =
    format(to, patterns.longDate) === format(from, patterns.longDate)
      ? endClock
      : endClock === '00:00'
        ? '24:00'
        : format(to, `${patterns.longDate} HH:mm`)
  return `${format(from, patterns.moment)}–${endShown}`
}

/** An instant with its date, in the chosen zone, without the zone's name: `Jan 13, 2025, 15:00`. */
export function formatMoment(ts: number, timeZone: string, lang: Lang): string {
  return format(new TZDate(ts, timeZone), DATE_PATTERNS[lang].moment)
}

/** A calendar day given as `YYYY-MM-DD` (already in the chosen zone): `Jan 14` / `1月14日`. */
export function formatDay(day: string, lang: Lang): string {
  const midnight = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN
  return Number.isNaN(midnight) ? day : format(new TZDate(midnight, 'UTC'), DATE_PATTERNS[lang].date)
}

const CN_PROVINCES: Record<string, readonly [string, string]> = {
  'CN-AH': ['Anhui', '安徽'],
  'CN-BJ': ['Beijing', '北京'],
  'CN-CQ': ['Chongqing', '重庆'],
  'CN-FJ': ['Fujian', '福建'],
  'CN-GD': ['Guangdong', '广东'],
  'CN-GS': ['Gansu', '甘肃'],
  'CN-GX': ['Guangxi', '广西'],
  'CN-GZ': ['Guizhou', '贵州'],
  'CN-HA': ['Henan', '河南'],
  'CN-HB': ['Hubei', '湖北'],
  'CN-HE': ['Hebei', '河北'],
  'CN-HI': ['Hainan', '海南'],
  'CN-HK': ['Hong Kong', '香港'],
  'CN-HL': ['Heilongjiang', '黑龙江'],
  'CN-HN': ['Hunan', '湖南'],
  'CN-JL': ['Jilin', '吉林'],
  'CN-JS': ['Jiangsu', '江苏'],
  'CN-JX': ['Jiangxi', '江西'],
  'CN-LN': ['Liaoning', '辽宁'],
  'CN-MO': ['Macao', '澳门'],
  'CN-NM': ['Inner Mongolia', '内蒙古'],
  'CN-NX': ['Ningxia', '宁夏'],
  'CN-QH': ['Qinghai', '青海'],
  'CN-SC': ['Sichuan', '四川'],
  'CN-SD': ['Shandong', '山东'],
  'CN-SH': ['Shanghai', '上海'],
  'CN-SN': ['Shaanxi', '陕西'],
  'CN-SX': ['Shanxi', '山西'],
  'CN-TJ': ['Tianjin', '天津'],
  'CN-TW': ['Taiwan', '台湾'],
  'CN-XJ': ['Xinjiang', '新疆'],
  'CN-XZ': ['Tibet', '西藏'],
  'CN-YN': ['Yunnan', '云南'],
  'CN-ZJ': ['Zhejiang', '浙江'],
}

const regionNames = new Map<Lang, Intl.DisplayNames>()

/** A region code in words: `US` → United States / 美国, `CN-SH` → Shanghai / 上海, `other` → Other / 其他. */
export function regionName(code: string, lang: Lang): string {
  if (code === 'other') return translator(lang)('other')
  const province = CN_PROVINCES[code]
  if (province) return lang === 'zh-CN' ? province[1] : province[0]
  if (/^[A-Z]{2}$/.test(code)) {
    let names = regionNames.get(lang)
    if (!names) {
      names = new Intl.DisplayNames([lang], { type: 'region' })
      regionNames.set(lang, names)
    }
    try {
      return names.of(code) ?? code
    } catch {
      return code
    }
  }
  return code
}

/** A hashtag as written, with its `#`: `#tiktokrefugee`, `#猫税`. */
export function hashtag(tag: string): string {
  return `#${tag}`
}

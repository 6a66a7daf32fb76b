/** Range presets and custom range, granularity, time zone, region and type filters. */
import { EVENT_TYPES, type EventType } from '@trendlens/contract'
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react'
import type { MessageKey } from '../i18n.ts'
import {
  allowedGranularities,
  defaultGrowthMode,
  GRANULARITIES,
  type GranularityChoice,
  PRESETS,
  type Preset,
  parseRegions,
} from '../state.ts'
import { canonicalTimeZone, resolveBound, toIsoInZone, toWallString, wallTimeToInstant } from '../time.ts'
import type { ViewProps } from '../view.ts'
import { Help } from './help.tsx'
import { RawExport } from './raw-export.tsx'
import { Segmented } from './segmented.tsx'

/** The zones a viewer of this story is most likely to want; any other IANA zone can be typed in. */
const COMMON_ZONES = ['Asia/Shanghai', 'America/New_York', 'America/Los_Angeles', 'UTC']

const PRESET_LABEL: Record<Preset, MessageKey> = {
  story: 'presetStory',
  surge: 'presetSurge',
  '1h': 'preset1h',
  '24h': 'preset24h',
  '7d': 'preset7d',
  custom: 'presetCustom',
}

const GRANULARITY_LABEL: Record<GranularityChoice, MessageKey> = {
  auto: 'granularityAuto',
  minute: 'granularityMinute',
  '15m': 'granularity15m',
  hour: 'granularityHour',
  day: 'granularityDay',
}

const TYPE_LABEL: Record<EventType, MessageKey> = {
  view: 'typeView',
  post: 'typePost',
  comment: 'typeComment',
  ip_region: 'typeIpRegion',
}

export function Controls({ state, update, t, range, queries }: ViewProps) {
  const [customOpen, setCustomOpen] = useState(state.preset === 'custom')
  useEffect(() => {
    if (state.preset === 'custom') setCustomOpen(true)
  }, [state.preset])
  const allowed = useMemo(() => allowedGranularities(range, state.tz, Date.now()), [range, state.tz])

  const choosePreset = (preset: Preset) => {
    if (preset === 'custom') {
      setCustomOpen((open) => !open || state.preset !== 'custom')
      return
    }
    setCustomOpen(false)
    const granularity = allowed.has(state.granularity) ? state.granularity : 'auto'
    update({ preset, granularity, growthMode: defaultGrowthMode(preset) })
  }

  return (
    <section className="controls" aria-label={t('controls')}>
      <div className="control">
        <span className="control-label" id="range-label">
          {t('range')}
        </span>
        <Segmented
          label={t('range')}
          value={customOpen ? 'custom' : state.preset}
          options={PRESETS.map((preset) => ({ value: preset, label: t(PRESET_LABEL[preset]) }))}
          onChange={choosePreset}
          testId="presets"
        />
      </div>
      {customOpen ? (
        <CustomRange key={`${state.tz}|${range.from}|${range.to}`} {...{ state, update, t, range }} />
      ) : null}
      <div className="control">
        <label className="control-label" htmlFor="granularity">
          {t('granularity')}
        </label>
        <select
          id="granularity"
          value={state.granularity}
          onChange={(event) => update({ granularity: event.target.value as GranularityChoice })}
        >
          {GRANULARITIES.map((granularity) => (
            <option key={granularity} value={granularity} disabled={!allowed.has(granularity)}>
              {t(GRANULARITY_LABEL[granularity])}
              {allowed.has(granularity) ? '' : ` ${t('granularityTooFine')}`}
            </option>
          ))}
        </select>
      </div>
      <ZonePicker tz={state.tz} onChange={(tz) => update({ tz })} t={t} />
      <RegionFilter regions={state.regions} onChange={(regions) => update({ regions })} t={t} />
      <fieldset className="control types">
        <legend className="control-label">{t('typeFilter')}</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={state.types.includes(type)}
              onChange={(event) =>
                update({
                  types: event.target.checked
                    ? EVENT_TYPES.filter((other) => other === type || state.types.includes(other))
                    : state.types.filter((other) => other !== type),
                })
              }
            />
            {t(TYPE_LABEL[type])}
            {type === 'ip_region' ? <Help what={t('typeIpRegion')} text={t('helpIpHeartbeats')} t={t} /> : null}
          </label>
        ))}
      </fieldset>
      <RawExport state={state} queries={queries} t={t} />
    </section>
  )
}

function CustomRange({ state, update, t, range }: Pick<ViewProps, 'state' | 'update' | 't' | 'range'>) {
  const now = Date.now()
  const initialFrom = resolveBound(range.from, state.tz, now)
  const initialTo = resolveBound(range.to, state.tz, now)
  const [from, setFrom] = useState(initialFrom === undefined ? '' : toWallString(initialFrom, state.tz))
  const [to, setTo] = useState(initialTo === undefined ? '' : toWallString(initialTo, state.tz))
  const [error, setError] = useState<string | undefined>()
  const errorId = useId()

  const apply = (event: FormEvent) => {
    event.preventDefault()
    const fromTs = wallTimeToInstant(from, state.tz)
    const toTs = wallTimeToInstant(to, state.tz)
    if (fromTs === undefined || toTs === undefined || fromTs >= toTs) {
      setError(`${t('from')} < ${t('to')}`)
      return
    }
    setError(undefined)
    update({
      preset: 'custom',
      from: toIsoInZone(fromTs, state.tz),
      to: toIsoInZone(toTs, state.tz),
      granularity: 'auto',
    })
  }

  return (
    <form className="control custom-range" onSubmit={apply} data-testid="custom-range">
      <DateTimeField
        id="range-from"
        label={t('from')}
        value={from}
        onChange={setFrom}
        errorId={error ? errorId : undefined}
      />
      <DateTimeField id="range-to" label={t('to')} value={to} onChange={setTo} errorId={error ? errorId : undefined} />
      <span className="muted small">{state.tz}</span>
      <button type="submit" className="button">
        {t('apply')}
      </button>
      {error ? (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  )
}

/** A labelled local date-time input of the custom range; `errorId` names the range's error message when there is one. */
function DateTimeField(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  errorId: string | undefined
}) {
  return (
    <>
      <label className="control-label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        type="datetime-local"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        required
      />
    </>
  )
}

const OTHER = '__other__'

function ZonePicker({ tz, onChange, t }: { tz: string; onChange: (tz: string) => void; t: ViewProps['t'] }) {
  const [typing, setTyping] = useState(false)
  const [draft, setDraft] = useState(tz)
  const [invalid, setInvalid] = useState(false)
  const errorId = useId()
  const zones = COMMON_ZONES.includes(tz) ? COMMON_ZONES : [...COMMON_ZONES, tz]
  const allZones = useMemo(() => (typing ? Intl.supportedValuesOf('timeZone') : []), [typing])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const zone = canonicalTimeZone(draft)
    if (!zone) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    setTyping(false)
    onChange(zone)
  }

  return (
    <div className="control zone">
      <label className="control-label" htmlFor="tz">
        {t('timeZone')}
      </label>
      <select
        id="tz"
        value={typing ? OTHER : tz}
        onChange={(event) => {
          if (event.target.value === OTHER) {
            setDraft('')
            setTyping(true)
            return
          }
          setTyping(false)
          onChange(event.target.value)
        }}
        data-testid="tz-select"
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
        <option value={OTHER}>{t('timeZoneOther')}</option>
      </select>
      {typing ? (
        <form className="inline-form" onSubmit={submit}>
          <label className="sr-only" htmlFor="tz-input">
            {t('timeZoneInput')}
          </label>
          <input
            id="tz-input"
            type="text"
            list="tz-list"
            value={draft}
            placeholder="Europe/Berlin"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? errorId : undefined}
            onChange={(event) => {
              setDraft(event.target.value)
              setInvalid(false)
            }}
            // biome-ignore lint/a11y/noAutofocus: the field appears because the viewer just asked to type a zone.
            autoFocus
          />
          <datalist id="tz-list">
            {allZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <button type="submit" className="button">
            {t('apply')}
          </button>
          {invalid ? (
            <span id={errorId} className="field-error" role="alert">
              {t('timeZoneInvalid')}
            </span>
          ) : null}
        </form>
      ) : null}
    </div>
  )
}

function RegionFilter({
  regions,
  onChange,
  t,
}: {
  regions: string[]
  onChange: (regions: string[]) => void
  t: ViewProps['t']
}) {
  const [draft, setDraft] = useState(regions.join(', '))
  const [invalid, setInvalid] = useState(false)
  const errorId = useId()
  useEffect(() => setDraft(regions.join(', ')), [regions])

  const commit = () => {
    const parsed = parseRegions(draft)
    if (!parsed) {
      setInvalid(true)
      return
    }
    setInvalid(false)
    if (parsed.join(',') !== regions.join(',')) onChange(parsed)
  }

  return (
    <form
      className="control region"
      onSubmit={(event) => {
        event.preventDefault()
        commit()
      }}
    >
      <label className="control-label" htmlFor="regions">
        {t('regionFilter')}
      </label>
      <input
        id="regions"
        type="text"
        value={draft}
        placeholder={t('regionFilterPlaceholder')}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(event) => {
          setDraft(event.target.value)
          setInvalid(false)
        }}
        onBlur={commit}
      />
      {invalid ? (
        <span id={errorId} className="field-error" role="alert">
          {t('regionFilterInvalid')}
        </span>
      ) : null}
    </form>
  )
}

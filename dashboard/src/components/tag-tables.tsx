/** Top and trending (breakout) hashtags; a tag is a button that charts it, "+" adds it to the comparison. */

import type { TopTagsReport, TrendingReport } from '@trendlens/contract'
import { MAX_TAGS } from '@trendlens/contract'
import { type KeyboardEvent, useState } from 'react'
import type { QueryState } from '../hooks.ts'
import { formatCompact, formatInstant, formatInteger, formatMultiple, hashtag, type Translate } from '../i18n.ts'
import { type Span, trendingView } from '../transforms/trending.ts'
import type { ViewProps } from '../view.ts'
import { Exports } from './exports.tsx'
import { FilterNote } from './filter-note.tsx'
import { Help } from './help.tsx'
import { QueryBody } from './panel.tsx'
import { Segmented } from './segmented.tsx'

const TABLE_HEIGHT = 318

interface TagButtonsProps {
  tag: string
  tags: readonly string[]
  update: ViewProps['update']
  t: Translate
}

function TagButtons({ tag, tags, update, t }: TagButtonsProps) {
  const charted = tags.includes(tag)
  const full = !charted && tags.length >= MAX_TAGS
  // A click adds the tag to the comparison (or takes it out again): comparing is what the table is for.
  return (
    <span className="tag-cell">
      <button
        type="button"
        className="link tag-button"
        aria-pressed={charted}
        aria-label={charted ? t('removeTag', { tag: hashtag(tag) }) : t('compareTag', { tag: hashtag(tag) })}
        title={full ? t('maxTags') : undefined}
        disabled={full}
        onClick={() => update({ tags: charted ? tags.filter((other) => other !== tag) : [...tags, tag] })}
        data-testid="tag-button"
      >
        {hashtag(tag)}
      </button>
      {charted ? (
        <span className="tag-charted" aria-hidden="true">
          ✓
        </span>
      ) : null}
    </span>
  )
}

type TagTab = 'top' | 'trending'

/** Top and trending hashtags in one panel with two tabs (the ARIA tabs pattern: arrow keys move between tabs). */
export function TagsPanel(props: ViewProps & { top: QueryState<TopTagsReport>; trending: QueryState<TrendingReport> }) {
  const { state, update, t, queries } = props
  const [tab, setTab] = useState<TagTab>('top')
  const tabs: { id: TagTab; label: string }[] = [
    { id: 'top', label: t('top') },
    { id: 'trending', label: t('trending') },
  ]
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    event.preventDefault()
    const next: TagTab = tab === 'top' ? 'trending' : 'top'
    setTab(next)
    document.getElementById(`tab-${next}`)?.focus()
  }
  const what = tab === 'top' ? t('top') : t('trending')
  return (
    <section className="panel panel-tags" aria-label={t('tags')} data-testid="panel-tags">
      <header className="panel-head">
        <div className="tabs" role="tablist" aria-label={t('tags')}>
          {tabs.map((item) => (
            <button
              key={item.id}
              id={`tab-${item.id}`}
              type="button"
              role="tab"
              aria-selected={tab === item.id}
              aria-controls={`tabpanel-${item.id}`}
              tabIndex={tab === item.id ? 0 : -1}
              onClick={() => setTab(item.id)}
              onKeyDown={onKeyDown}
              data-testid={`tab-${item.id}`}
            >
              {item.label}
            </button>
          ))}
        </div>
        <div className="panel-actions">
          {tab === 'top' ? (
            <Segmented
              label={t('top')}
              value={state.topBy}
              options={[
                { value: 'views', label: t('byViews') },
                { value: 'discussions', label: t('byDiscussions') },
              ]}
              onChange={(topBy) => update({ topBy })}
            />
          ) : null}
          <Exports dataset={tab} params={tab === 'top' ? queries.top : queries.trending} what={what} t={t} />
        </div>
      </header>
      <FilterNote panel="tags" state={state} t={t} />
      <div id={`tabpanel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'top' ? <TopTable {...props} /> : <TrendingTable {...props} />}
      </div>
    </section>
  )
}

function TopTable({ state, update, t, top }: ViewProps & { top: QueryState<TopTagsReport> }) {
  const what = t('top')
  const lang = state.lang
  return (
    <QueryBody query={top} height={TABLE_HEIGHT} what={what} t={t} isEmpty={(data) => data.rows.length === 0}>
      {(data) => (
        <div className="table-scroll" style={{ height: TABLE_HEIGHT }}>
          <table className="table" data-testid="top-table">
            <caption className="sr-only">{what}</caption>
            <thead>
              <tr>
                <th scope="col" className="rank">
                  #
                </th>
                <th scope="col">{t('colTag')}</th>
                <th scope="col" className="num">
                  {t('colViews')}
                </th>
                <th scope="col" className="num">
                  {t('colDiscussions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, index) => (
                <tr key={row.tag} data-tag={row.tag}>
                  <td className="rank">{index + 1}</td>
                  <td>
                    <TagButtons tag={row.tag} tags={state.tags} update={update} t={t} />
                  </td>
                  <td className="num" title={formatInteger(row.views, lang)} data-value={row.views}>
                    {formatCompact(row.views, lang)}
                  </td>
                  <td className="num" title={formatInteger(row.discussions, lang)} data-value={row.discussions}>
                    {formatCompact(row.discussions, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryBody>
  )
}

function TrendingTable({ state, update, t, trending }: ViewProps & { trending: QueryState<TrendingReport> }) {
  const what = t('trending')
  const lang = state.lang
  const tz = state.tz
  return (
    <QueryBody query={trending} height={TABLE_HEIGHT} what={what} t={t} isEmpty={(data) => data.rows.length === 0}>
      {(data) => {
        const view = trendingView(data)
        const span = ({ from, to }: Span) =>
          `${formatInstant(from, tz, lang, 'axis')} – ${formatInstant(to, tz, lang, 'axis')}`
        return (
          <div className="table-scroll" style={{ height: TABLE_HEIGHT }}>
            <p className="table-note" data-testid="trending-window">
              {view.recent && view.baseline
                ? t('trendingWindow', { recent: span(view.recent), baseline: span(view.baseline) })
                : view.recent
                  ? t('trendingNoBaseline', { recent: span(view.recent) })
                  : null}
            </p>
            <table className="table" data-testid="trending-table">
              <caption className="sr-only">{what}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colTag')}</th>
                  <th scope="col" className="num">
                    {t('colMultiple')}
                    <Help
                      what={t('colMultiple')}
                      text={`${t('helpMultiple')} ${t('helpNew')} ${t('helpBack')}`}
                      t={t}
                    />
                  </th>
                  <th scope="col" className="num">
                    {t('colRecentRate')}
                    <Help what={t('colRecentRate')} text={t('helpRecentRate')} t={t} />
                  </th>
                  <th scope="col" className="num">
                    {t('colViews')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={row.tag} data-tag={row.tag} data-label={row.label.kind}>
                    <td>
                      <TagButtons tag={row.tag} tags={state.tags} update={update} t={t} />
                    </td>
                    <td className="num">
                      {row.label.kind === 'multiple' ? (
                        <span className="multiple">{formatMultiple(row.label.multiple, lang)}</span>
                      ) : (
                        <span className="badge">{t(row.label.kind === 'new' ? 'isNew' : 'isBack')}</span>
                      )}
                    </td>
                    <td className="num">{formatCompact(row.recentRate, lang)}</td>
                    <td className="num" title={formatInteger(row.views, lang)} data-value={row.views}>
                      {formatCompact(row.views, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }}
    </QueryBody>
  )
}

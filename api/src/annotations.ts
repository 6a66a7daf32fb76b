/** Dated notes shown on charts, kept in annotations_v1 (a new version per change, a tombstone per delete). */

import { randomUUID } from 'node:crypto'
import type { Annotation, TimeRange } from '@trendlens/contract'
import type { AppStore } from './context.ts'

/** The row as written to annotations_v1; times are epoch milliseconds. */
interface AnnotationRow extends Annotation {
  created_by: string
  deleted: 0 | 1
  version?: number
}

/**
 * Writes the given annotations when the table has never held any, so a fresh install shows them and a user who
 * deleted them does not see them come back. Returns how many were written.
 */
export async function seedAnnotations(store: AppStore, annotations: readonly Annotation[]): Promise<number> {
  if (annotations.length === 0) return 0
  const [count] = await store.query('api_annotations_count', {})
  if ((count?.rows ?? 0) > 0) return 0
  const rows: AnnotationRow[] = annotations.map((note) => ({ ...note, created_by: 'seed', deleted: 0 }))
  await store.appendRows('annotations_v1', rows)
  return rows.length
}

export function listAnnotations(store: AppStore, range: TimeRange, signal: AbortSignal): Promise<Annotation[]> {
  return store.query('api_annotations_list', { from: range.from, to: range.to }, { signal })
}

export async function createAnnotation(
  store: AppStore,
  note: { ts: number; title: string; body: string; hashtag: string },
): Promise<Annotation> {
  const row: AnnotationRow = { id: randomUUID(), ...note, created_by: 'api', deleted: 0 }
  await store.appendRows('annotations_v1', [row])
  return { id: row.id, ts: row.ts, title: row.title, body: row.body, hashtag: row.hashtag }
}

/** Tombstones an annotation; false when there is no live annotation with this id. */
export async function deleteAnnotation(store: AppStore, id: string, signal: AbortSignal): Promise<boolean> {
  const [latest] = await store.query('api_annotation_get', { id }, { signal })
  if (!latest || latest.deleted === 1) return false
  // The tombstone must be the newest version even when the delete lands in the same millisecond as the write.
  const version = Math.max(Date.now(), latest.latest_version + 1)
  const tombstone: AnnotationRow = {
    id,
    ts: latest.ts,
    title: latest.title,
    body: latest.body,
    hashtag: latest.hashtag,
    created_by: latest.created_by,
    deleted: 1,
    version,
  }
  await store.appendRows('annotations_v1', [tombstone])
  return true
}

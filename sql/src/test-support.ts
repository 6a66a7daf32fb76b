import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from './migrate.ts'
import { Store } from './store.ts'

/** A migrated embedded store in a fresh temporary folder, for tests and benchmarks. */
export async function openTempStore(
  prefix = 'trendlens-test-',
): Promise<{ store: Store; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const store = Store.open({ dataPath: dir, requestTimeoutMs: 60_000 })
  await migrate(store)
  return {
    store,
    dir,
    dispose: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * What is wrong with the user dictionary against the stored events, as readable lines (none when all is well): users
 * with events but no number, and numbers held by more than one user.
 */
export async function userNumberProblems(store: Pick<Store, 'query'>): Promise<string[]> {
  const missing = await store.query('user_numbers_missing', {})
  const shared = await store.query('user_numbers_shared', {})
  return [
    ...missing.map((row) => `user ${row.user_id} (${row.events} events) has no number`),
    ...shared.map((row) => `number ${row.user_no} is held by ${row.user_ids.join(', ')}`),
  ]
}

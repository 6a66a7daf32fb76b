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

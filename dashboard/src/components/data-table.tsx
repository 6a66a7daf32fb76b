import { useDeferredValue } from 'react'

const NO_ROWS: readonly Row[] = []

/**
 * A chart's data as a real table: read by screen readers (the chart is a canvas), shown on demand for analysts,
 * and what the browser tests compare with the API. Every cell is a React text node.
 */

export interface Column {
  key: string
  label: string
  numeric?: boolean
}

interface Cell {
  text: string
  /** The exact value behind a formatted cell. */
  value?: number | string
}

export interface Row {
  key: string
  /** `data-*` attributes of the row (e.g. `t` for the bucket's local time). */
  data?: Record<string, string>
  cells: Cell[]
}

interface DataTableProps {
  caption: string
  columns: readonly Column[]
  rows: readonly Row[]
  visible: boolean
  testId: string
}

export function DataTable({ caption, columns, rows: latest, visible, testId }: DataTableProps) {
  // Hundreds of rows are built after the chart has drawn, in a render React may interrupt.
  const rows = useDeferredValue(latest, NO_ROWS)
  return (
    <div className={visible ? 'data-table' : 'sr-only'}>
      <table data-testid={testId} data-state={rows === latest ? 'ready' : 'loading'}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.numeric ? 'num' : undefined} data-key={column.key}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const attributes = Object.fromEntries(Object.entries(row.data ?? {}).map(([k, v]) => [`data-${k}`, v]))
            return (
              <tr key={row.key} {...attributes}>
                {row.cells.map((cell, index) => {
                  const column = columns[index]
                  const Tag = index === 0 ? 'th' : 'td'
                  return (
                    <Tag
                      key={column?.key ?? index}
                      scope={index === 0 ? 'row' : undefined}
                      className={column?.numeric ? 'num' : undefined}
                      data-value={cell.value === undefined ? undefined : String(cell.value)}
                    >
                      {cell.text}
                    </Tag>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

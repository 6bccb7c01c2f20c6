/** Renders query results: an aligned table, CSV (RFC 4180) or a JSON array of row objects. */
export type Cell = string | number | boolean | null;

export function renderTable(columns: readonly string[], rows: readonly Cell[][]): string {
  // Numbers (and decimals, which arrive as text) line up on the right.
  const text = rows.map((row) => row.map((cell) => (cell === null ? 'NULL' : String(cell))));
  const widths = columns.map((name, i) =>
    Math.max(name.length, ...text.map((row) => row[i].length)),
  );
  const numeric = columns.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((row) => row[i] === null || /^-?\d+(\.\d+)?$/.test(String(row[i]))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return (
    [
      line(columns),
      widths.map((width) => '-'.repeat(width)).join('  '),
      ...text.map(line),
      `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
    ].join('\n') + '\n'
  );
}

export function renderCsv(columns: readonly string[], rows: readonly Cell[][]): string {
  const field = (cell: Cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

export function renderJson(columns: readonly string[], rows: readonly Cell[][]): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((name, i) => [name, row[i]])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

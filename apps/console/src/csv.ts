/**
 * Rows as CSV (RFC 4180: every field quoted, quotes doubled, CRLF between rows). A field that a
 * spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage return) is
 * prefixed with an apostrophe: audit fields carry text callers chose (token subjects, emails).
 */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n');
}

function csvField(value: unknown): string {
  const text = String(value ?? '');
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${inert.replace(/"/g, '""')}"`;
}

import Table from 'cli-table3';

/** A table of rows under a header, as text (no trailing newline); plain borders when colour is off. */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  color: boolean,
): string {
  const table = new Table({
    head: [...head],
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    wordWrap: true,
  });
  for (const row of rows) {
    table.push([...row]);
  }
  return table.toString();
}

/** Label/value pairs, one a row, for `show` commands. */
export function renderFields(fields: readonly (readonly [string, string])[], color: boolean): string {
  const table = new Table({ style: color ? { head: [], border: ['grey'] } : { head: [], border: [] }, wordWrap: true });
  for (const [label, value] of fields) {
    table.push({ [label]: value });
  }
  return table.toString();
}

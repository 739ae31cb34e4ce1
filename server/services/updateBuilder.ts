/**
 * Builds "SET col = $n, …" for an UPDATE from allow-listed field names with their SQL casts. Values always
 * travel as parameters; names come from the allow-list, never from the request.
 */
export function buildSet(allowed: Readonly<Record<string, string>>, changes: Record<string, unknown>, firstParam: number) {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(changes)) {
    const cast = allowed[field];
    if (!cast) throw new Error(`Field ${field} is not allow-listed`);
    values.push(cast === 'jsonb' && value !== null ? JSON.stringify(value) : value);
    parts.push(`${field} = $${firstParam + values.length - 1}::${cast}`);
  }
  return { sql: parts.join(', '), values };
}

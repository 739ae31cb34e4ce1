/**
 * Builds a WHERE clause from conditions written with `$?` placeholders, numbering them $1, $2 … in order.
 * Values always travel as parameters; only the fixed condition text is pasted into the SQL.
 */
export function whereBuilder() {
  const parts: string[] = [];
  const values: unknown[] = [];
  return {
    add(condition: string, ...conditionValues: unknown[]) {
      let i = 0;
      const text = condition.replace(/\$\?/g, () => {
        if (i >= conditionValues.length) throw new Error(`Too few values for condition: ${condition}`);
        values.push(conditionValues[i++]);
        return `$${values.length}`;
      });
      if (i !== conditionValues.length) throw new Error(`Too many values for condition: ${condition}`);
      parts.push(`(${text})`);
    },
    build(): { text: string; values: unknown[] } {
      return { text: parts.length ? parts.join(' AND ') : 'true', values: [...values] };
    },
  };
}

/** The ids a field's aria-describedby names: its error (when shown) and its help. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => !!x);
  return list.length ? list.join(' ') : undefined;
}

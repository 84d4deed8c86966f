/**
 * A count with its noun, singular for one: "1 command", "3 commands". Browser-safe (pages and
 * server messages share it). English only until the UI is translated; irregular nouns pass `many`.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The player jumps by marker index (its own times are shortened by idle-time trimming, so an offset
 * from the index would land elsewhere). These pure helpers read the cast's markers and tie each
 * command line of the index to its marker.
 */

/** The labels of a cast's markers (`[t, "m", label]` events), in order. */
export function castMarkerLabels(cast: string): string[] {
  const labels: string[] = [];
  for (const line of cast.split('\n')) {
    // a cheap test first: output events (most of a cast) are never parsed
    if (!line.includes(',"m",')) continue;
    try {
      const e = JSON.parse(line) as unknown;
      if (Array.isArray(e) && e[1] === 'm' && typeof e[2] === 'string') labels.push(e[2]);
    } catch {
      // a line cut off where a crash stopped the recording
    }
  }
  return labels;
}

/**
 * For each command line (in order), the index of its marker: the n-th marker with the same text for
 * the n-th line with that text; null when the cast has no such marker (a store that failed, say).
 */
export function markerIndexes(commands: readonly string[], labels: readonly string[]): (number | null)[] {
  const positions = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = positions.get(label);
    if (list) list.push(i);
    else positions.set(label, [i]);
  });
  const used = new Map<string, number>();
  return commands.map((c) => {
    const n = used.get(c) ?? 0;
    used.set(c, n + 1);
    return positions.get(c)?.[n] ?? null;
  });
}

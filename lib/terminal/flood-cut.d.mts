/** Where a screen model's pending output may start instead (flood-cut.mjs); null: nowhere. */
export declare function floodCut(
  parts: readonly string[],
  rows: number,
  scrollback: number,
): { part: number; offset: number; chars: number } | null;

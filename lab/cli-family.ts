/**
 * What the IOS-like personalities (IOS, VRP, Comware) do alike: a typed line goes through the view's
 * command table and an optional output filter, and a few configuration edits follow the same rules on
 * every one of them. These functions only decide; each personality words the answer (`% Invalid input`,
 * `Error: Wrong parameter`, ` % Wrong parameter`) itself.
 */
import {
  applyFilter,
  matchCommand,
  parseFilter,
  splitPipe,
  type CommandSpec,
  type MatchFailureKind,
  type MatchSuccess,
  type OutputFilterKind,
} from './match';
import { isIpv4, noteConfigChange, type CliResult, type LabDeviceModel, type LabInterface } from './model';

/** Why a typed line was refused, and where its `^` goes (a column of the typed line). */
export interface LineFailure {
  kind: MatchFailureKind;
  column: number;
  /** Set when the command itself did not match (not its pipe): what was typed before any `|`, and the bad word. */
  command?: { typed: string; wordIndex: number };
}

export interface LineHandling<Id extends string> {
  /** The commands whose output may be filtered with `| ...`. */
  pipeable: ReadonlySet<Id>;
  filters: readonly OutputFilterKind[];
  run(m: MatchSuccess<Id>): CliResult;
  /** A blank line. */
  blank(): CliResult;
  fail(f: LineFailure): CliResult;
}

/** Matches `line` against `commands`, runs it, and filters its output when it ends in `| include ...`. */
export function runLine<Id extends string>(
  line: string,
  commands: readonly CommandSpec<Id>[],
  how: LineHandling<Id>,
): CliResult {
  const { command, pipeColumn, pipeText } = splitPipe(line);
  const m = matchCommand(commands, command);
  if (m === null) return pipeText === undefined ? how.blank() : how.fail({ kind: 'unrecognized', column: 0 });
  if (!m.ok)
    return how.fail({ kind: m.kind, column: m.column, command: { typed: command, wordIndex: m.wordIndex } });
  if (pipeText === undefined || pipeColumn === undefined) return how.run(m);
  if (!how.pipeable.has(m.id)) return how.fail({ kind: 'unrecognized', column: pipeColumn - 1 });
  const f = parseFilter(pipeText, pipeColumn, how.filters);
  if (!f.ok) return how.fail({ kind: f.kind, column: f.column });
  const out = how.run(m);
  return { ...out, lines: applyFilter(out.lines, f.filter) };
}

/** A configuration command refused: a wrong parameter, or a command the interface does not take; `at` is its column. */
export interface EditProblem {
  kind: 'wrong' | 'unrecognized';
  at: number;
}

/**
 * Interface edits every CLI here makes the same way, whether it spells the negation `no` (IOS) or `undo`
 * (VRP, Comware). False when `id` is none of them.
 */
export function applyCommonEdit(iface: LabInterface, id: string): boolean {
  switch (id.replace(/^no-/, 'undo-')) {
    case 'undo-description':
      iface.description = '';
      return true;
    case 'shutdown':
      iface.adminUp = false;
      return true;
    case 'undo-shutdown':
      iface.adminUp = true;
      return true;
    case 'undo-ip-address':
      iface.ipv4 = undefined;
      return true;
    default:
      return false;
  }
}

/** `ip address A M`: sets the address of a routed interface; a switch port does not take the command. */
export function applyIpAddress(iface: LabInterface, m: MatchSuccess): EditProblem | undefined {
  const [address, mask] = m.params;
  if (!isIpv4(address)) return { kind: 'wrong', at: m.words[2].start };
  if (!isIpv4(mask)) return { kind: 'wrong', at: m.words[3].start };
  if (iface.kind === 'ethernet') return { kind: 'unrecognized', at: m.words[0].start };
  iface.ipv4 = { address, mask };
  return undefined;
}

/** `vlan N`: VLAN N, created with `name(N)` when missing; refused when N is outside 1..4094. */
export function createVlan(
  model: LabDeviceModel,
  m: MatchSuccess,
  name: (id: number) => string,
): number | EditProblem {
  const id = Number(m.params[0]);
  if (id < 1 || id > 4094) return { kind: 'wrong', at: m.words[1].start };
  if (!model.vlans.has(id)) model.vlans.set(id, name(id));
  noteConfigChange(model);
  return id;
}

/** A global configuration line the lab keeps verbatim (`ip route-static ...`, `ntp server ...`). */
export function addConfigLine(model: LabDeviceModel, m: MatchSuccess): void {
  model.extraConfig.push(m.words.map((w) => w.text).join(' '));
  noteConfigChange(model);
}

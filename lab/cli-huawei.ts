/**
 * What Huawei VRP and H3C Comware share from their common heritage: the views (`<host>` user view,
 * `[host]` system view, `[host-GigabitEthernet0/0/1]` and `[host-vlan10]` under it), moving between
 * them, `^` errors, entering interfaces and VLANs, and the interface edits both spell alike. Each
 * personality keeps its own command tables, wording, questions, output and limits.
 */
import { caretLine, type CommandSpec, type MatchFailureKind, type MatchSuccess } from './match';
import {
  noteConfigChange,
  resolveInterface,
  type CliExecuteOptions,
  type CliMachine,
  type CliResult,
  type LabDeviceModel,
  type LabInterface,
  type LabLocalUser,
  type PagerStyle,
} from './model';
import type { LabVendor } from './types';
import {
  addConfigLine,
  applyCommonEdit,
  applyIpAddress,
  createVlan,
  runLine,
  type LineFailure,
} from './cli-family';

export type HuaweiView =
  | { kind: 'user' }
  | { kind: 'system' }
  | { kind: 'interface'; iface: LabInterface }
  | { kind: 'vlan'; id: number }
  /** VRP `aaa`: local users are configured here (`local-user admin password …`). */
  | { kind: 'aaa' }
  /** Comware `local-user admin class manage`: one account's view. */
  | { kind: 'local-user'; user: LabLocalUser };

/** The command table of each view. */
export type ViewCommands<Id extends string> = Record<HuaweiView['kind'], readonly CommandSpec<Id>[]>;

/** Commands the base class runs (or the shared tables below spell) for both CLIs; each vendor's `Id` adds its own. */
export type HuaweiSharedId =
  | 'display-version'
  | 'display-interface-brief'
  | 'display-interface'
  | 'display-current-configuration'
  | 'return'
  | 'vlan-name'
  | 'sysname'
  | 'interface'
  | 'vlan'
  | 'undo-vlan'
  | 'global-extra'
  | 'description'
  | 'undo-description'
  | 'shutdown'
  | 'undo-shutdown'
  | 'link-type-access'
  | 'link-type-trunk'
  | 'ip-address'
  | 'undo-ip-address';

/** System-view commands both CLIs spell alike; each adds its own. */
export const SHARED_SYSTEM_COMMANDS: readonly CommandSpec<HuaweiSharedId>[] = [
  { id: 'sysname', words: ['sysname'], args: 'required' },
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'vlan', words: ['vlan', '<int>'] },
  { id: 'undo-vlan', words: ['undo', 'vlan'], args: 'required' },
  { id: 'global-extra', words: ['ip', 'route-static'], args: 'required' },
  { id: 'global-extra', words: ['ntp-service', 'unicast-server'], args: 'required' },
  { id: 'global-extra', words: ['info-center', 'loghost'], args: 'required' },
];

/** Interface-view commands both CLIs spell alike; each adds its own (VLAN membership, extras). */
export const SHARED_INTERFACE_COMMANDS: readonly CommandSpec<HuaweiSharedId>[] = [
  { id: 'interface', words: ['interface'], args: 'required' },
  { id: 'description', words: ['description'], args: 'required' },
  { id: 'undo-description', words: ['undo', 'description'] },
  { id: 'shutdown', words: ['shutdown'] },
  { id: 'undo-shutdown', words: ['undo', 'shutdown'] },
  { id: 'link-type-access', words: ['port', 'link-type', 'access'] },
  { id: 'link-type-trunk', words: ['port', 'link-type', 'trunk'] },
  { id: 'ip-address', words: ['ip', 'address', '<word>', '<word>'] },
  { id: 'undo-ip-address', words: ['undo', 'ip', 'address'] },
];

/** The `^` errors; the lab's VRP never says `Too many parameters`, Comware does. */
export type HuaweiErrorKind = MatchFailureKind | 'wrong' | 'too-many';

const ERROR_TEXT: Record<HuaweiErrorKind, string> = {
  unrecognized: 'Unrecognized command',
  incomplete: 'Incomplete command',
  ambiguous: 'Ambiguous command',
  'too-many': 'Too many parameters',
  wrong: 'Wrong parameter',
};

export function huaweiPrompt(hostname: string, view: HuaweiView): string {
  switch (view.kind) {
    case 'user':
      return `<${hostname}>`;
    case 'system':
      return `[${hostname}]`;
    case 'interface':
      return `[${hostname}-${view.iface.name}]`;
    case 'vlan':
      return `[${hostname}-vlan${view.id}]`;
    case 'aaa':
      return `[${hostname}-aaa]`;
    case 'local-user':
      return `[${hostname}-luser-manage-${view.user.name}]`;
  }
}

/** The answer to a `[Y/N]` question: yes or not. */
export function saidYes(line: string): boolean {
  return /^\s*y(es)?\s*$/i.test(line);
}

/** Configured VLAN ids, ascending (VLAN 1 is implicit and not among them). */
export function vlanIds(model: LabDeviceModel): number[] {
  return [...model.vlans.keys()].sort((a, b) => a - b);
}

/** The name `display vlan` shows: `VLAN 0010` for a VLAN without one. */
export function vlanLabel(model: LabDeviceModel, id: number): string {
  return id === 1 ? 'VLAN 0001' : model.vlans.get(id) || `VLAN ${String(id).padStart(4, '0')}`;
}

/** `port link-type access`: an access port in VLAN 1 unless it had one. */
export function makeAccessPort(iface: LabInterface): void {
  iface.mode = 'access';
  iface.trunkVlans = undefined;
  iface.accessVlan ??= 1;
}

/** `10 20 to 30` → ids; undefined when malformed or out of range. */
export function parseVlanList(words: readonly string[]): number[] | undefined {
  const ids: number[] = [];
  const tokens = words.flatMap((w) => w.split(/\s+/)).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^\d+$/.test(t)) return undefined;
    const from = Number(t);
    if (from < 1 || from > 4094) return undefined;
    if (tokens[i + 1]?.toLowerCase() === 'to') {
      const toText = tokens[i + 2];
      if (!toText || !/^\d+$/.test(toText)) return undefined;
      const to = Number(toText);
      if (to < from || to > 4094) return undefined;
      for (let v = from; v <= to; v++) ids.push(v);
      i += 2;
    } else {
      ids.push(from);
    }
  }
  return ids.length ? ids : undefined;
}

/**
 * A VRP-like CLI as a pure state machine. The subclass gives the command tables, the questions, the
 * output and the commands it runs its own way; commands it leaves to `runShared` must keep the ids of
 * `HuaweiSharedId` (`interface`, `vlan`, `shutdown`, `ip-address`, ...).
 */
export abstract class HuaweiFamilyCli<Id extends string, Question extends string> implements CliMachine {
  abstract readonly vendor: LabVendor;
  abstract readonly pager: PagerStyle;
  protected view: HuaweiView = { kind: 'user' };
  /** A question waiting for its answer. */
  protected asking: Question | null = null;

  /** The command table of each view. */
  protected abstract readonly views: ViewCommands<Id>;
  /** The display commands, which take `| include`, `| exclude` and `| begin`. */
  protected abstract readonly pipeable: ReadonlySet<Id>;
  /** What an error line starts with: `Error: ` (VRP), ` % ` (Comware). */
  protected abstract readonly errorPrefix: string;

  constructor(protected readonly model: LabDeviceModel) {}

  abstract banner(): string[];
  abstract pageSize(rows: number): number;
  protected abstract questionPrompt(question: Question): string;
  protected abstract answer(question: Question, line: string): CliResult;
  /** Runs a matched command; what it does not handle itself goes to `runShared`. */
  protected abstract run(m: MatchSuccess<Id>, column: number): CliResult;
  /** Interface-view commands the two CLIs spell or check differently. */
  protected abstract runPort(iface: LabInterface, m: MatchSuccess<Id>, column: number): CliResult;
  /** `display version`. */
  protected abstract version(): string[];
  /** `display interface brief`. */
  protected abstract interfaceBrief(): string[];
  protected abstract interfaceDetail(i: LabInterface): string[];
  protected abstract interfaceConfig(i: LabInterface): string[];
  protected abstract vlanConfig(id: number): string[];
  protected abstract currentConfiguration(): string[];

  get prompt(): string {
    if (this.asking !== null) return this.questionPrompt(this.asking);
    return huaweiPrompt(this.model.hostname, this.view);
  }

  get secret(): boolean {
    return false;
  }

  interrupt(): CliResult {
    this.asking = null;
    return this.result([]);
  }

  toTop(): CliResult {
    this.asking = null;
    this.view = { kind: 'user' };
    return this.result([]);
  }

  execute(line: string, opts: CliExecuteOptions = {}): CliResult {
    const column = opts.column ?? 0;
    if (this.asking !== null) return this.answer(this.asking, line);
    return runLine(line, this.commands(), {
      pipeable: this.pipeable,
      filters: ['include', 'exclude', 'begin'],
      run: (m) => this.run(m, column),
      blank: () => this.result([]),
      fail: (f) => this.failure(f, column),
    });
  }

  protected commands(): readonly CommandSpec<Id>[] {
    return this.views[this.view.kind];
  }

  commandsNow(): readonly CommandSpec[] {
    return this.commands();
  }

  protected result(lines: string[], pageable = false, close = false): CliResult {
    return { lines, pageable, prompt: this.prompt, close, question: this.asking !== null };
  }

  /** A configuration change that succeeded silently. */
  protected applied(): CliResult {
    noteConfigChange(this.model);
    return this.result([]);
  }

  protected error(kind: HuaweiErrorKind, at: number, column: number): CliResult {
    return this.result([
      caretLine(column + at),
      `${this.errorPrefix}${ERROR_TEXT[kind]} found at '^' position.`,
    ]);
  }

  protected failure(f: LineFailure, column: number): CliResult {
    return this.error(f.kind, f.column, column);
  }

  protected enterSystemView(lines: string[]): CliResult {
    this.view = { kind: 'system' };
    return this.result(lines);
  }

  /** `quit`: up one view; in user view it ends the session after `farewell`. */
  protected quit(farewell: string[]): CliResult {
    switch (this.view.kind) {
      case 'user':
        return this.result(farewell, false, true);
      case 'system':
        this.view = { kind: 'user' };
        return this.result([]);
      default:
        this.view = { kind: 'system' };
        return this.result([]);
    }
  }

  /** `undo vlan ...`: deletes the VLANs, or refuses the list at its first word. */
  protected undoVlans(ids: number[] | undefined, m: MatchSuccess<Id>, column: number): CliResult {
    if (!ids) return this.error('wrong', m.args[0].start, column);
    for (const id of ids) this.model.vlans.delete(id);
    return this.applied();
  }

  /** `display this`: the view's own configuration, or all of it in system view. */
  protected thisConfiguration(): string[] {
    const view = this.view;
    if (view.kind === 'interface') return ['#', ...this.interfaceConfig(view.iface), '#', 'return'];
    if (view.kind === 'vlan') return ['#', ...this.vlanConfig(view.id), '#', 'return'];
    return this.currentConfiguration();
  }

  /** The commands both CLIs run alike, then the view's own configuration commands. */
  protected runShared(m: MatchSuccess<Id>, column: number): CliResult {
    const model = this.model;
    const id: string = m.id;
    switch (id) {
      case 'display-version':
        return this.result(this.version(), true);
      case 'display-interface-brief':
        return this.result(this.interfaceBrief(), true);
      case 'display-interface': {
        if (m.args.length === 0)
          return this.result(
            model.interfaces.flatMap((i) => this.interfaceDetail(i)),
            true,
          );
        const iface = resolveInterface(model, m.rest, false);
        if (!iface) return this.error('wrong', m.args[0].start, column);
        return this.result(this.interfaceDetail(iface), true);
      }
      case 'display-current-configuration':
        return this.result(this.currentConfiguration(), true);
      case 'return':
        this.view = { kind: 'user' };
        return this.result([]);
      case 'interface': {
        const iface = resolveInterface(model, m.rest, true);
        if (!iface) return this.error('wrong', m.args[0].start, column);
        this.view = { kind: 'interface', iface };
        return this.result([]);
      }
      case 'vlan': {
        const vlan = createVlan(model, m, () => '');
        if (typeof vlan !== 'number') return this.error(vlan.kind, vlan.at, column);
        this.view = { kind: 'vlan', id: vlan };
        return this.result([]);
      }
      case 'global-extra':
        addConfigLine(model, m);
        return this.result([]);
      default:
        return this.runInView(m, column);
    }
  }

  private runInView(m: MatchSuccess<Id>, column: number): CliResult {
    const view = this.view;
    if (view.kind === 'vlan') {
      // `name` or `description`, the only configuration commands of the VLAN view.
      this.model.vlans.set(view.id, m.rest);
      return this.applied();
    }
    if (view.kind !== 'interface') return this.error('unrecognized', 0, column);
    const iface = view.iface;
    if (applyCommonEdit(iface, m.id)) return this.applied();
    const id: string = m.id;
    switch (id) {
      case 'link-type-access':
        makeAccessPort(iface);
        return this.applied();
      case 'ip-address': {
        const problem = applyIpAddress(iface, m);
        return problem ? this.error(problem.kind, problem.at, column) : this.applied();
      }
      default:
        return this.runPort(iface, m, column);
    }
  }
}

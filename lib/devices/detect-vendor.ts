import { CliError, DeviceCli } from './cli';
import type { DeviceLogin, LoginFailureCode } from './connect';
import { detectVendor, DRIVERS, generic, outputIsError, type VendorDriver } from './drivers';
import type { DetectedVendor } from './drivers/detect';
import { SshError } from './ssh';

/** Time for the whole detection: login, prompt and at most two version commands. */
export const DETECT_TIMEOUT_MS = 20_000;
/** Lines of the version output shown with the result. */
const EXCERPT_LINES = 12;

export type VendorDetection =
  | {
      ok: true;
      /** null when nothing the device showed points to a vendor. */
      detected: DetectedVendor | null;
      prompt: string;
      serverIdent: string;
      versionCommand: string | null;
      versionExcerpt: string;
    }
  | { ok: false; code: LoginFailureCode | 'cli'; message: string };

function union(patterns: RegExp[], flags = ''): RegExp {
  const sources = [...new Set(patterns.map((p) => p.source))];
  return new RegExp(sources.map((s) => `(?:${s})`).join('|'), flags);
}

/**
 * A driver for a device whose vendor is not known yet: any shell-like prompt, and every platform's
 * pager and error messages, so a version command runs to its end whatever answers it.
 */
const all = Object.values(DRIVERS);
const probeDriver: VendorDriver = {
  ...generic,
  pager: union(all.map((d) => d.pager)),
  pagerArtifact: union(
    all.map((d) => d.pagerArtifact),
    'g',
  ),
  errors: all.flatMap((d) => d.errors),
};

/**
 * Log in to a device as `userId` (who must be allowed to operate it), look at the SSH ident, the banner
 * and the prompt, run the likely vendor's version command (falling back to the other family's), and
 * propose a vendor with the evidence.
 */
export async function detectDeviceVendor(
  deviceId: string,
  userId: string,
  deps: { login: DeviceLogin },
  timeoutMs = DETECT_TIMEOUT_MS,
): Promise<VendorDetection> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const login = await deps.login.open({ deviceId, actor: { userId }, purpose: 'terminal', signal: deadline });
  if (!login.ok) return { ok: false, code: login.code, message: login.message };
  const conn = login.connection;
  let cli: DeviceCli | null = null;
  try {
    cli = await DeviceCli.open(await conn.openShell(), probeDriver, conn.encoding, {
      timeoutMs,
      signal: deadline,
    });
    const serverIdent = conn.ssh?.serverIdent ?? '';
    const evidence = {
      ident: serverIdent,
      banner: `${conn.ssh?.authBanner ?? ''}\n${cli.banner}`,
      prompt: cli.currentPrompt,
    };
    const guess = detectVendor(evidence);
    // the guessed platform's version command, then the other CLI family's (`show` / `display`)
    const first = guess ? DRIVERS[guess.vendor].versionCommand : 'show version';
    const commands =
      guess?.vendor === 'generic'
        ? [first]
        : [first, first === 'display version' ? 'show version' : 'display version'];
    for (const command of commands) {
      const r = await cli.run({ command }, timeoutMs);
      if (outputIsError(probeDriver, r.output)) continue;
      return {
        ok: true,
        detected: detectVendor({ ...evidence, versionOutput: r.output }) ?? guess,
        prompt: cli.currentPrompt,
        serverIdent,
        versionCommand: command,
        versionExcerpt: r.output.split('\n').slice(0, EXCERPT_LINES).join('\n'),
      };
    }
    return {
      ok: true,
      detected: guess,
      prompt: cli.currentPrompt,
      serverIdent,
      versionCommand: null,
      versionExcerpt: '',
    };
  } catch (err) {
    if (err instanceof CliError || err instanceof SshError)
      return { ok: false, code: 'cli', message: err.message };
    throw err;
  } finally {
    cli?.close();
    conn.close();
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import headless from '@xterm/headless';
import { startPortal, TestClient, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

/**
 * Exact screens on reattach, against Debian's OpenSSH: a full-screen program that printed far more
 * than the old 256 K replay buffer comes back on its alternate screen, as it is, after a reload.
 */
const { Terminal } = headless;

let sshd: RealSshd;
let portal: Portal;
let deviceId: string;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: [] });
  deviceId = await addSshdDevice(portal, sshd, { name: 'debian-screen', vendor: 'generic', grantTo: [portal.users.operator] });
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

const PROMPT = /[$#] $/;

async function screenAfter(data: string, cols: number, rows: number) {
  const t = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  await new Promise<void>((resolve) => t.write(data, resolve));
  const b = t.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < rows; y++) lines.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  return { buffer: b.type, lines };
}

describe('reattaching to a full-screen program', () => {
  it('a reloaded page gets the alternate screen back after 400 K characters printed inside it', async () => {
    const c = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    c.send({ type: 'connect', cols: 80, rows: 24 });
    const { session_id } = await c.waitFrame('terminal_connected');
    await c.waitOutput(PROMPT, 10_000);
    // what `less +F` does: switch to the alternate screen, then follow a log at its bottom line
    c.send({
      type: 'input',
      data:
        "printf '\\033[?1049h\\033[H\\033[2J'; for i in $(seq 1 8000); do printf '\\033[24;1H\\033[Kfollowed line %s of the log xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\r\\n' $i; done; printf '\\033[1;1HSCREEN-TOP\\033[K\\033[24;1H%s' WAITING-FOR-\"\"DATA; sleep 30\r",
    });
    await c.waitOutput(/WAITING-FOR-DATA/, 30_000); // (its echo reads WAITING-FOR-""DATA)
    expect(c.outputTotal).toBeGreaterThan(400 * 1024);
    await c.close(); // the page reloads

    const back = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    back.send({ type: 'connect', session_id: session_id as string, cols: 80, rows: 24 });
    expect(await back.waitFrame('terminal_connected')).toMatchObject({ resumed: true });
    await back.waitOutput(/WAITING-FOR-DATA/, 10_000);
    const shown = await screenAfter(back.output, 80, 24);
    expect(shown.buffer).toBe('alternate');
    expect(shown.lines[0]).toBe('SCREEN-TOP');
    expect(shown.lines[22]).toBe('followed line 8000 of the log xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(shown.lines[23]).toBe('WAITING-FOR-DATA');
    // and the session goes on from there: Ctrl+C, leave the alternate screen, a command runs
    back.send({ type: 'input', data: "\x03printf '\\033[?1049l'; echo back-on-$((40+2))\r" });
    await back.waitOutput(/back-on-42/, 10_000);
    back.send({ type: 'close' });
    await back.close();
  });
});

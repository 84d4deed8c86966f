/**
 * Keyboard-interactive logins that ask more than the password (a one-time token): a terminal puts the
 * question to the person in the tab and logs in with their answer; a wrong answer is a refused login;
 * declining or leaving ends the attempt with the question named. A task still fails at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDeviceSpec } from '../lab/types';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

let portal: Portal;
const TOKEN = '424242';

beforeAll(async () => {
  const otp: LabDeviceSpec = {
    name: 'otp-sw',
    vendor: 'huawei_vrp',
    port: 0,
    ...LAB_CREDS,
    auth: 'keyboard-interactive-token',
    token: TOKEN,
  };
  portal = await startPortal({ lab: [otp] });
});
afterAll(() => portal.close());

async function open() {
  const c = await TestClient.open(
    portal,
    `/ws/terminal/${await portal.deviceId('otp-sw')}`,
    portal.users.operator,
  );
  c.send({ type: 'connect', cols: 100, rows: 30 });
  return c;
}

describe('login questions answered from the terminal', () => {
  it('the token is asked in the tab (the password is not), and the answer logs in', async () => {
    const c = await open();
    const q = await c.waitFrame('login_prompt', 10_000);
    expect(q.prompts).toEqual([{ prompt: 'Token:', echo: true }]); // the stored password answered its own prompt
    c.send({ type: 'login_answer', id: q.id as string, answers: [TOKEN] });
    await c.waitFrame('terminal_connected', 10_000);
    await c.waitOutput(/<otp-sw>$/);
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    await c.close();
  });

  it('a wrong answer is a refused login; declining names the question; an answer to nothing is an error', async () => {
    const wrong = await open();
    const q = await wrong.waitFrame('login_prompt', 10_000);
    wrong.send({ type: 'login_answer', id: q.id as string, answers: ['000000'] });
    expect((await wrong.waitFrame('terminal_error', 10_000)).error).toMatch(/refused the login/);
    await wrong.close();

    const declined = await open();
    const q2 = await declined.waitFrame('login_prompt', 10_000);
    declined.send({ type: 'login_answer', id: 'not-the-question', answers: [TOKEN] });
    expect(await declined.waitFrame('terminal_error')).toMatchObject({ code: 'no_question' });
    declined.send({ type: 'login_answer', id: q2.id as string, answers: null });
    const err = await declined.waitUntil(
      () => declined.frames.filter((f) => f.type === 'terminal_error')[1],
      'the refusal after declining',
      10_000,
    );
    expect(err.error).toMatch(/asks «Token:» at login and it was not answered/);
    await declined.close();
  });
});

import { describe, expect, it } from 'vitest';
import { ciscoIos, generic, huaweiVrp, juniperJunos } from '../devices/drivers';
import { commandOnScreen } from './screen-line';

const line = (text: string, before = text, alt = false) => ({ text, before, alt });

describe('the command line on the screen, and the mode its prompt shows', () => {
  it.each([
    [huaweiVrp, '<sw1>reboot', ['reboot'], 'exec'],
    [huaweiVrp, '<sw1>  dis cu | inc sysname ', ['dis cu | inc sysname'], 'exec'],
    [huaweiVrp, '[sw1]undo stelnet server enable', ['undo stelnet server enable'], 'config'],
    [huaweiVrp, '[~sw1-GigabitEthernet0/0/1]shutdown', ['shutdown'], 'config'],
    [huaweiVrp, 'HRP_M<fw1>reboot', ['reboot'], 'exec'],
    [ciscoIos, 'R1>enable', ['enable'], 'user'],
    [ciscoIos, 'R1#reload in 5', ['reload in 5'], 'exec'],
    [ciscoIos, 'R1(config-if)#do reload', ['do reload'], 'config'],
    [juniperJunos, 'admin@mx1> request system reboot', ['request system reboot'], 'exec'],
    [juniperJunos, 'admin@mx1# delete', ['delete'], 'config'],
  ] as const)('%s: %s', (driver, text, candidates, mode) => {
    expect(commandOnScreen(driver, line(text), null)).toMatchObject({ kind: 'command', candidates, mode });
  });

  it('an answer to a question or a password prompt, and a full-screen program, are not commands', () => {
    expect(
      commandOnScreen(huaweiVrp, line('Warning: The system will reboot. Continue? [Y/N]:y'), null),
    ).toEqual({
      kind: 'none',
    });
    expect(commandOnScreen(ciscoIos, line('Proceed with reload? [confirm]'), null)).toEqual({ kind: 'none' });
    expect(commandOnScreen(ciscoIos, line('Password: '), null)).toEqual({ kind: 'none' });
    expect(commandOnScreen(huaweiVrp, line('Username:admin'), null)).toEqual({ kind: 'none' });
    expect(commandOnScreen(ciscoIos, line('R1#reload', 'R1#reload', true), null)).toEqual({ kind: 'none' });
  });

  it('output still arriving (no prompt at the start of the line) waits; a sideways-scrolled IOS line is unreadable', () => {
    expect(commandOnScreen(huaweiVrp, line('HUAWEI S5735 Routing Switch uptime is 8 days'), null)).toEqual({
      kind: 'waiting',
    });
    expect(commandOnScreen(ciscoIos, line('R1#$ 5 reason maintenance window'), null)).toMatchObject({
      kind: 'unreadable',
    });
  });

  it('a shell: the prompt it printed before typing began; an unknown one is judged with the whole line', () => {
    expect(commandOnScreen(generic, line('root@vm:~# reboot'), 'root@vm:~# ')).toMatchObject({
      kind: 'command',
      candidates: ['reboot'],
      mode: 'exec',
    });
    // PS1='x ' is no prompt a driver knows: what follows it, and the whole line
    expect(commandOnScreen(generic, line('x reboot'), 'x ')).toMatchObject({
      kind: 'command',
      candidates: ['reboot', 'x reboot'],
      mode: null,
    });
    // `x reboot #`: a shell's prompt is never guessed from the line itself
    expect(commandOnScreen(generic, line('x reboot #'), null)).toMatchObject({
      kind: 'command',
      candidates: expect.arrayContaining(['x reboot #']),
    });
    expect(commandOnScreen(generic, line('[sudo] password for ops: '), 'ops@vm:~$ ')).toEqual({
      kind: 'none',
    });
  });

  it('a shell: keys typed ahead, echoed by the terminal before the prompt, are not the line', () => {
    // `touch /tmp/x` typed while a command ran, then erased: the row keeps the echo before the prompt
    expect(commandOnScreen(generic, line('touch /tmp/xroot@vm:~# echo hi'), 'root@vm:~# ')).toMatchObject({
      kind: 'command',
      candidates: ['echo hi'],
    });
    expect(commandOnScreen(generic, line('touch /tmp/xroot@vm:~# '), 'root@vm:~# ')).toMatchObject({
      candidates: [''],
    });
    // typed ahead with the prompt's text in it: what follows every appearance of the prompt is judged,
    // so the shell's own line (after the second) is among them
    expect(
      commandOnScreen(
        generic,
        line('ls; echo root@vm:~# lsroot@vm:~# ls; echo root@vm:~# ls'),
        'root@vm:~# ',
      ),
    ).toMatchObject({
      candidates: [
        'lsroot@vm:~# ls; echo root@vm:~# ls',
        'ls; echo root@vm:~# ls',
        'ls',
        // the prompt appears more than once: the whole row too
        'ls; echo root@vm:~# lsroot@vm:~# ls; echo root@vm:~# ls',
      ],
    });
    // more appearances than are followed one by one: the whole row still holds the command
    const dollars = `touch /tmp/x;:${'$ '.repeat(20)}`;
    expect(commandOnScreen(generic, line(`${dollars}$ ${dollars}`), '$ ')).toMatchObject({
      candidates: expect.arrayContaining([`${dollars}$ ${dollars}`.trim()]),
    });
    // typed ahead after the prompt changed (`cd /tmp` ran): the last prompt seen is not where the
    // shell's line starts; the whole row is judged
    expect(
      commandOnScreen(
        generic,
        line('reboot;: root@vm:~#root@vm:/tmp# reboot;: root@vm:~#'),
        'root@vm:~# ',
        true,
      ),
    ).toMatchObject({
      candidates: expect.arrayContaining(['reboot;: root@vm:~#root@vm:/tmp# reboot;: root@vm:~#']),
    });
  });
});

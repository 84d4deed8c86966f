import { describe, expect, it } from 'vitest';
import { fromServer, messageKey } from './link-messages';

describe('status messages from the server', () => {
  it('recognises the usual sentences so they can be translated', () => {
    expect(fromServer('Connected to core-sw-01.')).toEqual({ kind: 'connected', device: 'core-sw-01' });
    expect(fromServer('Reattached to lab vrp (2).')).toEqual({ kind: 'reattached', device: 'lab vrp (2)' });
    expect(fromServer('Idle: this session closes in 30 s unless you type.')).toEqual({
      kind: 'idle',
      seconds: 30,
      output: false,
    });
    expect(
      fromServer('Idle: this session closes in 5 s unless you type or the device prints something.'),
    ).toEqual({ kind: 'idle', seconds: 5, output: true });
  });

  it('recognises the fixed reasons a session ends with', () => {
    expect(fromServer('The device ended the session.')).toEqual({ kind: 'reason', reason: 'deviceEnded' });
    expect(messageKey(fromServer('Closed by the user.'))).toEqual({ key: 'reasons.byUser' });
    expect(fromServer('toString')).toEqual({ kind: 'server', text: 'toString' });
  });

  it('passes anything else through as sent', () => {
    expect(fromServer('Cannot reach 10.0.0.1:22.')).toEqual({
      kind: 'server',
      text: 'Cannot reach 10.0.0.1:22.',
    });
    expect(fromServer('Connected')).toEqual({ kind: 'server', text: 'Connected' });
  });

  it('names a translation key with its arguments', () => {
    expect(messageKey({ kind: 'connecting' })).toEqual({ key: 'connecting' });
    expect(messageKey({ kind: 'retrying', seconds: 1.5 })).toEqual({
      key: 'retrying',
      values: { seconds: 1.5 },
    });
    expect(messageKey({ kind: 'idle', seconds: 9, output: true })).toEqual({
      key: 'idleOutput',
      values: { seconds: 9 },
    });
    expect(messageKey({ kind: 'connected', device: 'r1' })).toEqual({
      key: 'connected',
      values: { device: 'r1' },
    });
    expect(messageKey({ kind: 'server', text: 'x' })).toEqual({ text: 'x' });
  });
});

import { describe, expect, it } from 'vitest';
import { atLeast, can, isRole, ROLES } from './roles';

describe('roles and permissions', () => {
  it('orders roles viewer < operator < admin', () => {
    expect(atLeast('admin', 'operator')).toBe(true);
    expect(atLeast('operator', 'operator')).toBe(true);
    expect(atLeast('viewer', 'operator')).toBe(false);
  });

  it('lets only operators and admins change devices and run tasks; everyone opens terminals (read-only below operate)', () => {
    for (const p of ['devices:edit', 'tasks:run'] as const) {
      expect(can('viewer', p)).toBe(false);
      expect(can('operator', p)).toBe(true);
      expect(can('admin', p)).toBe(true);
    }
    expect(ROLES.filter((r) => can(r, 'terminal:open'))).toEqual([...ROLES]);
    expect(can('viewer', 'devices:view')).toBe(true);
  });

  it('keeps user, grant, audit and lab management to admins', () => {
    for (const p of [
      'users:manage',
      'grants:manage',
      'audit:view',
      'hostkeys:manage',
      'lab:control',
    ] as const) {
      expect(ROLES.filter((r) => can(r, p))).toEqual(['admin']);
    }
  });

  it('recognises only known role names', () => {
    expect(isRole('admin')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { en } from '@/messages';
import { AUDIT_ACTION_LABELS, auditActionLabelKey } from './action-labels';

describe('audit action labels', () => {
  it('finds the label of a known code and none for another', () => {
    expect(auditActionLabelKey('user.role')).toBe('userRole');
    expect(auditActionLabelKey('login')).toBe('login');
    expect(auditActionLabelKey('something.new')).toBeNull();
    expect(auditActionLabelKey('toString')).toBeNull();
  });

  it('has an English message for every label it names', () => {
    const messages = en.admin.audit.actions as Record<string, string>;
    for (const key of Object.values(AUDIT_ACTION_LABELS)) expect(messages[key], key).toBeTruthy();
    expect(Object.keys(messages).sort()).toEqual([...new Set(Object.values(AUDIT_ACTION_LABELS))].sort());
  });
});

/** Roles and what each may do. Pure: used by pages, Server Actions and WebSocket handlers alike. */
export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export type Permission =
  | 'devices:view'
  | 'devices:edit'
  | 'terminal:open'
  | 'tasks:run'
  | 'users:manage'
  | 'grants:manage'
  | 'audit:view'
  | 'hostkeys:manage'
  | 'lab:control';

const MINIMUM_ROLE: Record<Permission, Role> = {
  'devices:view': 'viewer',
  'devices:edit': 'operator',
  // below operator (or with a view-only grant) the terminal is read-only: lib/policy's read-only rules
  'terminal:open': 'viewer',
  'tasks:run': 'operator',
  'users:manage': 'admin',
  'grants:manage': 'admin',
  'audit:view': 'admin',
  'hostkeys:manage': 'admin',
  'lab:control': 'admin',
};

export function can(role: Role, permission: Permission): boolean {
  return atLeast(role, MINIMUM_ROLE[permission]);
}

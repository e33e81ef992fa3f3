export const ROLES = ['admin', 'marketing', 'support', 'operations'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every permission a route can require. A route family ("plugins", "flows", ...) uses one read
 * and one write permission; a few acts that carry legal weight have their own.
 */
export const PERMISSIONS = [
  'settings:read',
  'settings:write',
  'keys:manage',
  'users:manage',
  'plugins:read',
  'plugins:write',
  'flows:read',
  'flows:write',
  'contacts:read',
  'contacts:write',
  'contacts:import',
  'consent:read',
  'consent:opt_out',
  'consent:opt_in',
  'suppression:write',
  'messages:read',
  'messages:send',
  'conversations:read',
  'conversations:write',
  'reports:read',
  'events:replay',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = ['settings:read', 'contacts:read', 'consent:read', 'messages:read', 'reports:read'];

/** The permission matrix; docs/permissions.md is written from it. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  marketing: new Set<Permission>([
    ...READ_ALL,
    'plugins:read',
    'flows:read',
    'flows:write',
    'contacts:write',
    'contacts:import',
    'consent:opt_out',
    'messages:send',
    'conversations:read',
  ]),
  support: new Set<Permission>([
    ...READ_ALL,
    'flows:read',
    'contacts:write',
    'consent:opt_out',
    'suppression:write',
    'messages:send',
    'conversations:read',
    'conversations:write',
  ]),
  operations: new Set<Permission>([
    ...READ_ALL,
    'plugins:read',
    'plugins:write',
    'flows:read',
    'consent:opt_out',
    'suppression:write',
    'events:replay',
  ]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

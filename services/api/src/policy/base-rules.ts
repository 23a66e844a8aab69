/**
 * Ironic's persona check strings (ironic/common/policy.py), from which every resource's default
 * rules are built. System scope is the operators'; project scope is a node's owner or lessee.
 */
export const SYSTEM_ADMIN = 'role:admin and system_scope:all';
export const SYSTEM_MEMBER = '(role:member and system_scope:all) or rule:service_role';
export const SYSTEM_READER =
  '(role:reader and system_scope:all) or (role:service and system_scope:all) or rule:service_role';

const PROJECT_MEMBER = 'role:member and (project_id:%(node.owner)s or project_id:%(node.lessee)s)';
const PROJECT_READER = 'role:reader and (project_id:%(node.owner)s or project_id:%(node.lessee)s)';
const SYSTEM_SERVICE = 'role:service and system_scope:all';
const PROJECT_SERVICE = 'role:service and project_id:%(node.owner)s';
const PROJECT_OWNER_ADMIN = 'role:admin and project_id:%(node.owner)s';
const PROJECT_OWNER_MANAGER = 'role:manager and project_id:%(node.owner)s';
const PROJECT_OWNER_MEMBER = 'role:member and project_id:%(node.owner)s';
const PROJECT_OWNER_READER = 'role:reader and project_id:%(node.owner)s';
const PROJECT_LESSEE_ADMIN = 'role:admin and project_id:%(node.lessee)s';
const PROJECT_LESSEE_MANAGER = 'role:manager and project_id:%(node.lessee)s';

const anyOf = (...checks: string[]) => checks.map((check) => `(${check})`).join(' or ');

export const PROJECT_ADMIN = PROJECT_OWNER_ADMIN;
export const SYSTEM_OR_PROJECT_MEMBER = anyOf(SYSTEM_MEMBER, PROJECT_MEMBER, SYSTEM_SERVICE);
export const SYSTEM_OR_PROJECT_READER = anyOf(SYSTEM_READER, PROJECT_READER, PROJECT_SERVICE);
export const SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN = anyOf(
  SYSTEM_MEMBER,
  SYSTEM_SERVICE,
  PROJECT_OWNER_MEMBER,
  PROJECT_LESSEE_ADMIN,
  PROJECT_LESSEE_MANAGER,
  PROJECT_SERVICE,
);
export const SYSTEM_ADMIN_OR_OWNER_ADMIN = anyOf(
  SYSTEM_ADMIN,
  SYSTEM_SERVICE,
  PROJECT_OWNER_ADMIN,
  PROJECT_OWNER_MANAGER,
  PROJECT_SERVICE,
);
export const SYSTEM_MEMBER_OR_OWNER_ADMIN = anyOf(
  SYSTEM_MEMBER,
  SYSTEM_SERVICE,
  PROJECT_OWNER_ADMIN,
  PROJECT_OWNER_MANAGER,
  PROJECT_SERVICE,
);
export const SYSTEM_MEMBER_OR_OWNER_MEMBER = anyOf(
  SYSTEM_MEMBER,
  SYSTEM_SERVICE,
  PROJECT_OWNER_MEMBER,
  PROJECT_SERVICE,
);
export const SYSTEM_OR_OWNER_READER = anyOf(
  SYSTEM_READER,
  SYSTEM_SERVICE,
  PROJECT_OWNER_READER,
  PROJECT_SERVICE,
);
export const SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN = anyOf(
  SYSTEM_MEMBER,
  SYSTEM_SERVICE,
  PROJECT_OWNER_ADMIN,
  PROJECT_OWNER_MANAGER,
  PROJECT_LESSEE_ADMIN,
  PROJECT_LESSEE_MANAGER,
  PROJECT_SERVICE,
);
export const API_READER = '(role:reader) or (role:service)';

/** Allocations belong to a project of their own (`allocation.owner`), not through a node. */
const ALLOCATION_OWNER_MEMBER = 'role:member and project_id:%(allocation.owner)s';
const ALLOCATION_OWNER_READER = 'role:reader and project_id:%(allocation.owner)s';
export const ALLOCATION_MEMBER = anyOf(SYSTEM_MEMBER, ALLOCATION_OWNER_MEMBER);
export const ALLOCATION_READER = anyOf(SYSTEM_READER, ALLOCATION_OWNER_READER);
export const ALLOCATION_CREATOR = anyOf(SYSTEM_MEMBER, 'role:member');

/** Volume target properties may hold connection secrets: operators and admins only. */
export const TARGET_PROPERTIES_READER = anyOf(SYSTEM_READER, 'role:admin');

/** Rules every resource's rules may name. */
export const GENERIC_RULES: Readonly<Record<string, string>> = {
  service_role: 'role:service and project_name:%(config.service_project_name)s',
  public_api: 'is_public_api:True',
  show_password: '!',
  show_instance_secrets: '!',
  /** A resource that declares no rules: operators only (Galvanic's safe default). */
  'galvanic:undeclared:read': SYSTEM_READER,
  'galvanic:undeclared:write': SYSTEM_ADMIN,
};

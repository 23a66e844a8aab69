/**
 * Ironic's `acl_public_routes`: the root and version documents and the agent's endpoints (which
 * carry the agent token instead), answered without operator credentials.
 */
const PUBLIC_ROUTES: readonly RegExp[] = [
  /^\/$/,
  /^\/v1$/,
  /^\/v1\/lookup$/,
  /^\/v1\/heartbeat\/[^/]+$/,
  /^\/v1\/continue_inspection$/,
];

/** Whether a path (trailing slashes ignored, as Ironic strips them) is a public route. */
export function isPublicRoute(path: string): boolean {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  return PUBLIC_ROUTES.some((route) => route.test(trimmed));
}

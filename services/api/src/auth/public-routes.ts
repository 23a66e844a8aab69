import { AGENT_ENDPOINTS } from '../controllers/agent/endpoints';

/** An express path under /v1 (`/heartbeat/:node_ident`) as a pattern of the whole request path. */
function v1PathPattern(path: string): RegExp {
  const segments = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  return new RegExp(`^/v1${segments.join('/')}$`);
}

/**
 * Ironic's `acl_public_routes`: the root and version documents and the agent's endpoints (which
 * carry the agent token instead), answered without operator credentials.
 */
const PUBLIC_ROUTES: readonly RegExp[] = [
  /^\/$/,
  /^\/v1$/,
  ...Object.values(AGENT_ENDPOINTS).map(v1PathPattern),
];

/** Whether a path (trailing slashes ignored, as Ironic strips them) is a public route. */
export function isPublicRoute(path: string): boolean {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  return PUBLIC_ROUTES.some((route) => route.test(trimmed));
}

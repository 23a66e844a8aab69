import type { Request } from 'express';

export interface Link {
  href: string;
  rel: string;
  type?: string;
}

/** The base URL clients reach us at: `[api] public_endpoint`, else the request's own host. */
export function baseUrl(req: Request, publicEndpoint: string | undefined): string {
  if (publicEndpoint) return publicEndpoint.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** Ironic's pair of links to a resource: versioned `self` and unversioned `bookmark`. */
export function resourceLinks(base: string, resource: string, id = '', query = ''): Link[] {
  const tail = id ? `${resource}/${id}${query}` : `${resource}/${query}`;
  return [
    { href: `${base}/v1/${tail}`, rel: 'self' },
    { href: `${base}/${tail}`, rel: 'bookmark' },
  ];
}

/**
 * Ironic's timestamp format, Python's isoformat: seconds, microseconds when there are any, and
 * an explicit UTC offset.
 */
export function ironicTimestamp(date: Date | null | undefined): string | null {
  if (!date) return null;
  const iso = date.toISOString();
  const millis = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${millis ? `.${String(millis).padStart(3, '0')}000` : ''}+00:00`;
}

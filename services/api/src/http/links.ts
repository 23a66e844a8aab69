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

/** Ironic's timestamp format: ISO 8601 to the second with an explicit UTC offset. */
export function ironicTimestamp(date: Date | null | undefined): string | null {
  if (!date) return null;
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

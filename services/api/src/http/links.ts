import { hostname } from 'node:os';
import type { NextFunction, Request, Response } from 'express';

export interface Link {
  href: string;
  rel: string;
  type?: string;
}

export interface LinkHostOptions {
  /** `[api] host_ip`: named in links when a request reaches it by that address. */
  hostIp?: string | undefined;
  /** `[api] allowed_hosts`: names, or `.example.com` for a domain and its subdomains. */
  allowedHosts?: readonly string[] | undefined;
}

const HOST_HEADER =
  /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(:[0-9]{1,5})?$/;
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * Decides whether a request's `Host` header may go into the links we write. Only names this
 * server is known by qualify, so a forged Host cannot plant another site in cached documents.
 */
export function trustedHostCheck(options: LinkHostOptions = {}): (host: string) => boolean {
  const exact = new Set(['localhost', '127.0.0.1', '[::1]', hostname().toLowerCase()]);
  const domains: string[] = [];
  const hostIp = options.hostIp?.toLowerCase();
  if (hostIp && !WILDCARD_ADDRESSES.has(hostIp))
    exact.add(hostIp.includes(':') ? `[${hostIp}]` : hostIp);
  for (const entry of options.allowedHosts ?? []) {
    const name = entry.trim().toLowerCase();
    if (name.startsWith('.')) domains.push(name);
    else if (name) exact.add(name);
  }
  return (host) => {
    const match = HOST_HEADER.exec(host);
    if (!match) return false;
    const name = match[1]!.toLowerCase();
    return (
      exact.has(name) || domains.some((domain) => name.endsWith(domain) || `.${name}` === domain)
    );
  };
}

const requestBases = new WeakMap<Request, string>();

function socketBase(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `${req.protocol}://${host}:${req.socket.localPort ?? ''}`;
}

/**
 * Fixes each request's link base: `[api] public_endpoint` when set; else the request's Host
 * header when it names this server; else the address the request actually reached.
 */
export function linkBase(publicEndpoint: string | undefined, options: LinkHostOptions = {}) {
  const configured = publicEndpoint?.replace(/\/+$/, '');
  const trusted = trustedHostCheck(options);
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!configured) {
      const host = req.get('host');
      requestBases.set(req, host && trusted(host) ? `${req.protocol}://${host}` : socketBase(req));
    }
    next();
  };
}

/** The base URL clients reach us at, as {@link linkBase} fixed it for this request. */
export function baseUrl(req: Request, publicEndpoint: string | undefined): string {
  if (publicEndpoint) return publicEndpoint.replace(/\/+$/, '');
  return requestBases.get(req) ?? socketBase(req);
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

import type { NextFunction, Request, Response } from 'express';
import { NotAcceptable } from '@galvanic/errors';

/** A microversion `1.N`, compared by its minor number. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
}

export const MIN_VERSION: ApiVersion = { major: 1, minor: 1 };
/** The highest microversion whose behaviour Galvanic implements, as recorded from Ironic. */
export const MAX_VERSION: ApiVersion = { major: 1, minor: 115 };

export const VERSION_HEADER = 'X-OpenStack-Ironic-API-Version';
const MIN_HEADER = 'X-OpenStack-Ironic-API-Minimum-Version';
const MAX_HEADER = 'X-OpenStack-Ironic-API-Maximum-Version';

export function formatVersion(version: ApiVersion): string {
  return `${version.major}.${version.minor}`;
}

const RANGE = `[${formatVersion(MIN_VERSION)}, ${formatVersion(MAX_VERSION)}]`;

/** Parses the version header as Ironic does: absent means the minimum, `latest` the maximum. */
export function parseVersionHeader(header: string | undefined): ApiVersion {
  if (header === undefined || header.trim() === '') return MIN_VERSION;
  const text = header.trim();
  if (text.toLowerCase() === 'latest') return MAX_VERSION;
  const match = /^(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new NotAcceptable(`Invalid value for ${VERSION_HEADER} header`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Checks a requested version against the range this service implements. */
export function checkVersionSupported(version: ApiVersion): ApiVersion {
  const text = formatVersion(version);
  if (version.major !== MAX_VERSION.major) {
    throw new NotAcceptable(
      `Version ${text} was requested but the major version is not supported by this service. The supported version range is: ${RANGE}.`,
    );
  }
  if (version.minor < MIN_VERSION.minor || version.minor > MAX_VERSION.minor) {
    throw new NotAcceptable(
      `Version ${text} was requested but the minor version is not supported by this service. The supported version range is: ${RANGE}.`,
    );
  }
  return version;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      apiVersion: ApiVersion;
    }
  }
}

/** Whether the request's negotiated microversion is at least `1.minor`. */
export function atLeast(req: Request, minor: number): boolean {
  return req.apiVersion.minor >= minor;
}

/**
 * Negotiates the microversion of every /v1 request and adds the version headers Ironic sends:
 * minimum and maximum once the header parsed, the negotiated version once it is supported.
 */
export function microversion(req: Request, res: Response, next: NextFunction): void {
  const requested = parseVersionHeader(req.get(VERSION_HEADER));
  res.setHeader(MIN_HEADER, formatVersion(MIN_VERSION));
  res.setHeader(MAX_HEADER, formatVersion(MAX_VERSION));
  req.apiVersion = checkVersionSupported(requested);
  res.setHeader(VERSION_HEADER, formatVersion(req.apiVersion));
  next();
}

/**
 * The request pipeline: faults (latency, drop, server error), body, authentication, routing,
 * reply. Errors become Redfish error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Authenticator } from '../auth';
import { isOpen } from '../auth';
import { RedfishError, baseMessage, notFound } from '../errors';
import type { FaultDecision, FaultInjector } from '../faults';
import type { Principal, Reply, RequestContext } from './context';
import { errorReply, writeReply } from './respond';
import type { RequestAuthKind, RequestLog } from '../request-log';
import type { Router } from './router';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface PipelineOptions {
  readonly router: Router;
  readonly authenticator: Authenticator;
  readonly faults: FaultInjector;
  /** Show ETags weak (`W/"…"`). */
  readonly weakEtags: boolean;
  readonly requestLog: RequestLog;
  /** Told about unexpected handler failures (never about credentials). */
  readonly onInternalError?: (error: unknown) => void;
}

export function createRequestListener(
  options: PipelineOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(options, req, res).catch((error: unknown) => {
      options.onInternalError?.(error);
      writeReply(res, errorReply(new RedfishError(500, baseMessage('InternalError'))), false);
    });
  };
}

function normalizePath(rawUrl: string): { path: string; query: URLSearchParams } {
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query };
}

function faultReply(fault: Extract<FaultDecision, { kind: 'error' }>): Reply {
  const headers: Record<string, string> =
    fault.retryAfterSeconds > 0 ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
  const message =
    fault.status === 503
      ? baseMessage('ServiceTemporarilyUnavailable', [fault.retryAfterSeconds])
      : baseMessage(fault.status === 500 ? 'InternalError' : 'GeneralError');
  return errorReply(new RedfishError(fault.status, message, headers));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined
  ) {
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RedfishError(413, baseMessage('PayloadTooLarge'));
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

function parseBody(req: IncomingMessage, raw: Buffer | undefined): unknown {
  if (raw === undefined) return undefined;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/json/i.test(contentType)) {
    throw new RedfishError(415, baseMessage('UnsupportedMediaType'));
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new RedfishError(400, baseMessage('MalformedJSON'));
  }
}

const SUPPORTED_QUERY = new Set(['$skip', '$top']);

/** DSP0266: unsupported `$` query parameters are a 501; other unknown ones are ignored. */
function rejectUnsupportedQuery(query: URLSearchParams): void {
  for (const name of query.keys()) {
    if (name.startsWith('$') && !SUPPORTED_QUERY.has(name)) {
      throw new RedfishError(501, baseMessage('QueryNotSupported'));
    }
  }
}

async function handle(
  options: PipelineOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const { path, query } = normalizePath(req.url ?? '/');
  const headOnly = method === 'HEAD';
  const { faults } = options;

  const ifMatch = req.headers['if-match'];
  const log = (status: number): void =>
    options.requestLog.add({
      method,
      url: req.url ?? '/',
      auth: authKind(req),
      ifMatch: Array.isArray(ifMatch) ? ifMatch.join(', ') : ifMatch,
      status,
    });

  const fault = faults.decide(method, path);
  if (faults.latencyMs > 0) {
    faults.noteDelayed();
    await sleep(faults.latencyMs);
  }
  if (fault?.kind === 'drop') {
    log(0);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'error') {
    log(fault.status);
    writeReply(res, faultReply(fault), headOnly);
    return;
  }

  let reply: Reply;
  try {
    const raw = await readBody(req);
    const routeMethod = headOnly ? 'GET' : method;
    let principal: Principal | undefined;
    if (!isOpen(routeMethod, path)) {
      const token = req.headers['x-auth-token'];
      principal = options.authenticator.authenticate(
        req.headers.authorization,
        Array.isArray(token) ? token[0] : token,
      );
    }
    rejectUnsupportedQuery(query);
    const match = options.router.match(method, path);
    if (!match) throw notFound(path);
    if (!match.handler) {
      throw new RedfishError(405, baseMessage('OperationNotAllowed'), {
        Allow: match.allowed.join(', '),
      });
    }
    const ctx: RequestContext = {
      method,
      path,
      query,
      headers: req.headers,
      body: parseBody(req, raw),
      principal,
    };
    reply = await match.handler(ctx, match.params);
  } catch (error) {
    if (!(error instanceof RedfishError)) throw error;
    reply = errorReply(error);
  }
  log(reply.status);
  writeReply(res, reply, headOnly, options.weakEtags);
}

function authKind(req: IncomingMessage): RequestAuthKind {
  if (req.headers['x-auth-token'] !== undefined) return 'session';
  return /^Basic\s/i.test(req.headers.authorization ?? '') ? 'basic' : 'none';
}

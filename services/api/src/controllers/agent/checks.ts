import type { Request } from 'express';
import { BadRequest, InvalidParameterValue } from '@galvanic/errors';
import {
  MINOR_36_AGENT_VERSION_HEARTBEAT,
  MINOR_68_HEARTBEAT_VERIFY_CA,
} from '../../resources/versions';

const MAC = /^([0-9a-f]{2})([:-]?)([0-9a-f]{2})(\2[0-9a-f]{2}){4}$/i;

/** A MAC address in the form ports keep (lower case, colons), or undefined when it is not one. */
export function normalizeMac(text: string): string | undefined {
  const trimmed = text.trim();
  if (!MAC.test(trimmed)) return undefined;
  const hex = trimmed.replace(/[:-]/g, '').toLowerCase();
  return hex.match(/../g)!.join(':');
}

/** `addresses` of a lookup: a comma-separated list; ones that are not MACs are ignored, as Ironic does. */
export function lookupAddresses(value: unknown): string[] {
  // Only strings can be MACs: anything else a query string parses into is ignored, never String()ed.
  const text = (item: unknown) => (typeof item === 'string' ? item : '');
  const items = Array.isArray(value) ? value.map(text) : text(value).split(',');
  return items.flatMap((item) => {
    const mac = item.trim() === '' ? undefined : normalizeMac(item);
    return mac ? [mac] : [];
  });
}

export interface HeartbeatBody {
  callback_url: string;
  agent_version?: string;
  agent_token?: string;
  agent_verify_ca?: string;
}

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidParameterValue(`Field "${name}" must be a string.`);
  }
  return value;
}

/**
 * Ironic's checks of a heartbeat's body, in its order: fields newer than the microversion are
 * not recognised, the callback URL must be an HTTP(S) URL, and a token is required.
 */
export function checkHeartbeatBody(req: Request): HeartbeatBody {
  const raw: unknown = req.body;
  const body =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : {};
  const minor = req.apiVersion.minor;
  const agentVersion = optionalText(body, 'agent_version');
  if (agentVersion !== undefined && minor < MINOR_36_AGENT_VERSION_HEARTBEAT) {
    throw new InvalidParameterValue('Field "agent_version" not recognised');
  }
  const verifyCa = optionalText(body, 'agent_verify_ca');
  if (verifyCa !== undefined && minor < MINOR_68_HEARTBEAT_VERIFY_CA) {
    throw new InvalidParameterValue('Field "agent_verify_ca" not recognised in this version');
  }
  const callbackUrl = optionalText(body, 'callback_url');
  if (callbackUrl === undefined) {
    throw new BadRequest('Missing argument: "callback_url"');
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(callbackUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidParameterValue('An issue with the supplied "callback_url" has been detected.');
  }
  const token = optionalText(body, 'agent_token');
  if (token === undefined) {
    throw new InvalidParameterValue('Agent token is required for heartbeat processing.');
  }
  return {
    callback_url: callbackUrl,
    agent_token: token,
    ...(agentVersion !== undefined ? { agent_version: agentVersion } : {}),
    ...(verifyCa !== undefined ? { agent_verify_ca: verifyCa } : {}),
  };
}

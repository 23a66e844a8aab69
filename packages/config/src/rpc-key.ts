import { readFileSync } from 'node:fs';
import { ConfigError } from './load';

/** The `[rpc]` options that say where a split-mode service finds its message key. */
export interface RpcKeyOptions {
  readonly message_key: string | undefined;
  readonly message_key_file: string | undefined;
  readonly insecure_unauthenticated: boolean;
}

/** As in @galvanic/rpc (MIN_MESSAGE_KEY_BYTES), which config does not depend on. */
const MIN_KEY_BYTES = 32;

/**
 * The RPC message key of a split-mode service, from `[rpc] message_key` or the file named by
 * `[rpc] message_key_file`. Undefined only when neither is set and
 * `[rpc] insecure_unauthenticated` says running without one is wanted; any other lack is a
 * ConfigError at start. Errors never show the key.
 */
export function readRpcMessageKey(options: RpcKeyOptions): Buffer | undefined {
  if (options.message_key !== undefined && options.message_key_file !== undefined) {
    throw new ConfigError('set one of [rpc] message_key and [rpc] message_key_file, not both');
  }
  let key: Buffer | undefined;
  if (options.message_key !== undefined) {
    key = Buffer.from(options.message_key.trim(), 'utf8');
  } else if (options.message_key_file !== undefined) {
    try {
      key = Buffer.from(readFileSync(options.message_key_file, 'utf8').trim(), 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(
        `cannot read [rpc] message_key_file ${options.message_key_file}: ${reason}`,
      );
    }
  }
  if (key === undefined) {
    if (options.insecure_unauthenticated) return undefined;
    throw new ConfigError(
      'split mode needs an RPC message key shared by the api and the conductors: set [rpc] ' +
        'message_key_file (or message_key), or [rpc] insecure_unauthenticated = true to run ' +
        'without authenticating RPC messages',
    );
  }
  if (key.byteLength < MIN_KEY_BYTES) {
    throw new ConfigError(
      `the RPC message key is ${key.byteLength} bytes long; it needs at least ${MIN_KEY_BYTES} ` +
        '(e.g. `openssl rand -hex 32`)',
    );
  }
  return key;
}

import type { AddressInfo } from 'node:net';

/** The base URL of a server listening at `address`, as the api logs and links it. */
export function serverUrl(address: AddressInfo, tls: boolean): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

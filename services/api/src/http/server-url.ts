import type { AddressInfo, Server } from 'node:net';

/** The base URL of a server listening at `address`, as the api logs and links it. */
export function serverUrl(address: AddressInfo, tls: boolean): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

/** Listens on `host`:`port` (0 picks a port) and resolves with the address taken. */
export function listenAt(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

// Starts a TLS emulator, prints its CA path and exits without closing it.
import { startRedfishEmulator } from '../../src/index';

const emulator = await startRedfishEmulator({ tls: true });
console.log(emulator.caPath);
process.exit(0);

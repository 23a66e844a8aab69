import { defineOptionGroup, opt } from './options.js';

/**
 * `[deploy]`, Ironic's names for where boot files live and how machines and BMCs reach them, and
 * Galvanic's own options for serving `http_root` from the conductor. Boot interfaces read it; the
 * conductor serves `http_root` by it.
 */
export const deployOptions = defineOptionGroup('deploy', {
  http_root: opt.string(
    '/httpboot',
    'Directory the boot HTTP server serves: iPXE scripts, kernels, ramdisks and ISOs per node, and the image cache.',
  ),
  http_url: opt.optionalString(
    "Base URL of http_root as the machines being booted reach it, e.g. 'http://192.0.2.10:8080'.",
  ),
  external_http_url: opt.optionalString(
    'Base URL of http_root as BMCs reach it, for virtual media; http_url when unset.',
  ),
  serve_http_root: opt.boolean(
    false,
    'Serve http_root from this conductor (all-in-one always does); off leaves it to an external web server.',
  ),
  http_server_host: opt.string('127.0.0.1', 'Address the built-in boot HTTP server listens on.'),
  http_server_port: opt.port(8080, 'Port of the built-in boot HTTP server; 0 picks a free one.'),
});

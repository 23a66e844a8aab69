/**
 * iPXE scripts under http_root: `boot.ipxe`, the one entry script every machine's DHCP answer
 * names, chains to `pxelinux.cfg/<mac with hyphens>`, the script written for that machine's node.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWhole } from '../http-boot/node-files';

export const BOOT_SCRIPT_NAME = 'boot.ipxe';

export function macScriptPath(httpRoot: string, mac: string): string {
  return join(httpRoot, 'pxelinux.cfg', mac.toLowerCase().replaceAll(':', '-'));
}

export function renderEntryScript(): string {
  return [
    '#!ipxe',
    '# Written by Galvanic: boot what the conductor prepared for this MAC address.',
    'chain --autofree pxelinux.cfg/${mac:hexhyp} || goto no_script',
    ':no_script',
    'echo No boot script for ${mac}: this machine is not being booted by Galvanic.',
    'sleep 10',
    'exit',
    '',
  ].join('\n');
}

export interface IpxeKernelScript {
  readonly nodeUuid: string;
  readonly label: string;
  readonly kernelUrl: string;
  readonly ramdiskUrl: string;
  readonly append: string;
}

export function renderKernelScript(spec: IpxeKernelScript): string {
  const args = [spec.append.trim(), 'initrd=ramdisk', 'BOOTIF=01-${mac:hexhyp}']
    .filter(Boolean)
    .join(' ');
  return [
    '#!ipxe',
    `# node ${spec.nodeUuid}: ${spec.label}`,
    `kernel ${spec.kernelUrl} ${args}`,
    `initrd --name ramdisk ${spec.ramdiskUrl}`,
    'boot',
    '',
  ].join('\n');
}

export async function writeEntryScript(httpRoot: string): Promise<void> {
  await writeWhole(join(httpRoot, BOOT_SCRIPT_NAME), renderEntryScript());
}

export async function writeMacScripts(
  httpRoot: string,
  macs: readonly string[],
  script: string,
): Promise<string[]> {
  const paths = macs.map((mac) => macScriptPath(httpRoot, mac));
  await Promise.all(paths.map((path) => writeWhole(path, script)));
  return paths;
}

export async function removeMacScripts(httpRoot: string, macs: readonly string[]): Promise<void> {
  await Promise.all(macs.map((mac) => rm(macScriptPath(httpRoot, mac), { force: true })));
}

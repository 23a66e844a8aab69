import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What one PXELINUX config boots. */
export interface PxeBootSpec {
  label: string;
  kernel: string;
  ramdisk: string;
  append: string;
}

/** `<tftp_root>/pxelinux.cfg/01-aa-bb-cc-dd-ee-ff`: PXELINUX looks for its config by MAC. */
export function pxeConfigPath(tftpRoot: string, mac: string): string {
  return join(tftpRoot, 'pxelinux.cfg', `01-${mac.toLowerCase().replaceAll(':', '-')}`);
}

export function renderPxeConfig(spec: PxeBootSpec): string {
  return [
    `default ${spec.label}`,
    '',
    `label ${spec.label}`,
    `    kernel ${spec.kernel}`,
    `    append initrd=${spec.ramdisk} ${spec.append}`.trimEnd(),
    // BOOTIF=<mac> on the command line, so the ramdisk knows which interface it booted from.
    '    ipappend 2',
    '',
  ].join('\n');
}

/** Kernel arguments from a space-separated string and `key=value` pairs, empty parts dropped. */
export function kernelArguments(base: string, params: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(params).map(([key, value]) => `${key}=${value}`);
  return [base.trim(), ...pairs].filter((part) => part !== '').join(' ');
}

/** Writes the config for each MAC; a TFTP server never sees a half-written file. */
export async function writePxeConfigs(
  tftpRoot: string,
  macs: readonly string[],
  spec: PxeBootSpec,
): Promise<string[]> {
  const text = renderPxeConfig(spec);
  const written: string[] = [];
  for (const mac of macs) {
    const path = pxeConfigPath(tftpRoot, mac);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, path);
    written.push(path);
  }
  return written;
}

export async function removePxeConfigs(tftpRoot: string, macs: readonly string[]): Promise<void> {
  await Promise.all(macs.map((mac) => rm(pxeConfigPath(tftpRoot, mac), { force: true })));
}

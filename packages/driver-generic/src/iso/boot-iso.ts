/**
 * A bootable ISO 9660 image of a kernel, a ramdisk and a kernel command line, built with
 * `xorriso` (Debian package `xorriso`) and ISOLINUX (`isolinux`, `syslinux-common`) as its El
 * Torito BIOS boot record. Virtual media boots it as a CD.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InternalError } from '@galvanic/driver-sdk';

const run = promisify(execFile);

/** Where Debian (and older layouts) keep ISOLINUX's boot loader and its library. */
const ISOLINUX_BIN = ['/usr/lib/ISOLINUX/isolinux.bin', '/usr/lib/syslinux/isolinux.bin'];
const LDLINUX_C32 = ['/usr/lib/syslinux/modules/bios/ldlinux.c32', '/usr/lib/syslinux/ldlinux.c32'];

export interface BootIsoSpec {
  readonly kernelPath: string;
  readonly ramdiskPath: string;
  /** The kernel command line. */
  readonly append: string;
  readonly outputPath: string;
}

function firstExisting(candidates: readonly string[], what: string): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new InternalError(
      `Cannot build a boot ISO: ${what} not found in ${candidates.join(', ')} (install isolinux and syslinux-common)`,
    );
  }
  return found;
}

export function renderIsolinuxConfig(append: string): string {
  return [
    'default boot',
    'prompt 0',
    'timeout 0',
    'label boot',
    '  kernel /vmlinuz',
    `  append initrd=/initrd ${append}`.trimEnd(),
    '',
  ].join('\n');
}

/** Builds the ISO at `outputPath` (written whole: a reader never sees half of it). */
export async function buildBootIso(spec: BootIsoSpec): Promise<string> {
  const isolinux = firstExisting(ISOLINUX_BIN, 'isolinux.bin');
  const ldlinux = firstExisting(LDLINUX_C32, 'ldlinux.c32');
  const tree = await mkdtemp(join(tmpdir(), 'galvanic-iso-'));
  const partial = `${spec.outputPath}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(join(tree, 'isolinux'));
    await Promise.all([
      copyFile(isolinux, join(tree, 'isolinux', 'isolinux.bin')),
      copyFile(ldlinux, join(tree, 'isolinux', 'ldlinux.c32')),
      copyFile(spec.kernelPath, join(tree, 'vmlinuz')),
      copyFile(spec.ramdiskPath, join(tree, 'initrd')),
      writeFile(join(tree, 'isolinux', 'isolinux.cfg'), renderIsolinuxConfig(spec.append)),
    ]);
    // prettier-ignore
    await run('xorriso', [
      '-as', 'mkisofs', '-quiet', '-o', partial, '-V', 'GALVANIC_BOOT', '-J', '-R',
      '-b', 'isolinux/isolinux.bin', '-c', 'isolinux/boot.cat',
      '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table',
      tree,
    ], { timeout: 120_000 });
    await rename(partial, spec.outputPath);
    return spec.outputPath;
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof InternalError) throw error;
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new InternalError(`Building the boot ISO ${spec.outputPath} failed: ${detail}`);
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}

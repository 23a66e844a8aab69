/**
 * A bootable ISO 9660 image of a kernel, a ramdisk and a kernel command line, built with
 * `xorriso` (Debian package `xorriso`), with two El Torito boot records as Ironic's ISOs have:
 * BIOS through ISOLINUX (`isolinux`, `syslinux-common`), and UEFI through an EFI System Partition
 * image (`efi/efiboot.img`, FAT made with `mkfs.fat` and filled with mtools, no mounts) holding a
 * standalone GRUB (`grub-efi-amd64-bin`) that boots the same kernel, ramdisk and command line from
 * the ISO. Virtual media boots it as a CD.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InternalError } from '@galvanic/driver-sdk';

const run = promisify(execFile);

/** Where Debian (and older layouts) keep ISOLINUX's boot loader and its library. */
const ISOLINUX_BIN = ['/usr/lib/ISOLINUX/isolinux.bin', '/usr/lib/syslinux/isolinux.bin'];
const LDLINUX_C32 = ['/usr/lib/syslinux/modules/bios/ldlinux.c32', '/usr/lib/syslinux/ldlinux.c32'];
/** GRUB's x86-64 EFI modules, which grub-mkstandalone builds the UEFI loader from. */
const GRUB_EFI_MODULES = ['/usr/lib/grub/x86_64-efi'];
/** What the UEFI loader needs: Linux loading, finding the ISO by a file on it, reading ISO 9660. */
const GRUB_MODULES = ['linux', 'search', 'search_fs_file', 'iso9660', 'efi_gop', 'efi_uga'];
/** Path of the EFI System Partition image inside the ISO (the UEFI El Torito entry). */
export const EFI_BOOT_IMAGE = 'efi/efiboot.img';
/** Where UEFI firmware looks for the boot loader of removable media on x86-64. */
const EFI_LOADER_PATH = '::/EFI/BOOT/BOOTX64.EFI';

export interface BootIsoSpec {
  readonly kernelPath: string;
  readonly ramdiskPath: string;
  /** The kernel command line. */
  readonly append: string;
  readonly outputPath: string;
}

function firstExisting(candidates: readonly string[], what: string, packages: string): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new InternalError(
      `Cannot build a boot ISO: ${what} not found in ${candidates.join(', ')} (install ${packages})`,
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

/** A GRUB script word that stays as written: single-quoted, as a POSIX shell would. */
function grubWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The UEFI loader's configuration: find the ISO it was booted from by a file only that ISO has
 * (two inserted ISOs share the volume label), then boot its kernel and ramdisk.
 */
export function renderGrubConfig(append: string, markerFile: string): string {
  const args = append.split(/\s+/).filter(Boolean).map(grubWord);
  return [
    `search --no-floppy --set=root --file /${markerFile}`,
    ['linux', '/vmlinuz', ...args].join(' '),
    'initrd /initrd',
    'boot',
    '',
  ].join('\n');
}

async function runTool(command: string, args: readonly string[], packageName: string) {
  try {
    await run(command, args, { timeout: 120_000, env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InternalError(
        `Cannot build a boot ISO: ${command} not found (install ${packageName})`,
      );
    }
    throw error;
  }
}

/** Writes the EFI System Partition image: a FAT file system holding GRUB as BOOTX64.EFI. */
async function buildEfiBootImage(work: string, grubConfig: string, imagePath: string) {
  const modules = firstExisting(GRUB_EFI_MODULES, 'GRUB x86_64-efi modules', 'grub-efi-amd64-bin');
  const config = join(work, 'grub.cfg');
  const loader = join(work, 'BOOTX64.EFI');
  await writeFile(config, grubConfig);
  // prettier-ignore
  await runTool('grub-mkstandalone', [
    '--format', 'x86_64-efi', '--directory', modules, '--output', loader,
    '--locales=', '--fonts=', '--themes=',
    `--modules=${GRUB_MODULES.join(' ')}`, `--install-modules=${GRUB_MODULES.join(' ')} normal configfile`,
    `boot/grub/grub.cfg=${config}`,
  ], 'grub-efi-amd64-bin');
  // The loader plus room for the FAT's own tables, in KiB as mkfs.fat counts.
  const sizeKiB = Math.ceil((await stat(loader)).size / 1024) + 256;
  await runTool('mkfs.fat', ['-C', '-n', 'EFIBOOT', imagePath, String(sizeKiB)], 'dosfstools');
  await runTool('mmd', ['-i', imagePath, '::/EFI', '::/EFI/BOOT'], 'mtools');
  await runTool('mcopy', ['-i', imagePath, loader, EFI_LOADER_PATH], 'mtools');
}

/** Builds the ISO at `outputPath` (written whole: a reader never sees half of it). */
export async function buildBootIso(spec: BootIsoSpec): Promise<string> {
  const isolinux = firstExisting(ISOLINUX_BIN, 'isolinux.bin', 'isolinux and syslinux-common');
  const ldlinux = firstExisting(LDLINUX_C32, 'ldlinux.c32', 'isolinux and syslinux-common');
  const work = await mkdtemp(join(tmpdir(), 'galvanic-iso-'));
  const tree = join(work, 'tree');
  const marker = `galvanic-boot-${randomBytes(8).toString('hex')}`;
  const partial = `${spec.outputPath}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(join(tree, 'isolinux'), { recursive: true });
    await mkdir(join(tree, 'efi'));
    await Promise.all([
      writeFile(join(tree, marker), ''),
      copyFile(isolinux, join(tree, 'isolinux', 'isolinux.bin')),
      copyFile(ldlinux, join(tree, 'isolinux', 'ldlinux.c32')),
      copyFile(spec.kernelPath, join(tree, 'vmlinuz')),
      copyFile(spec.ramdiskPath, join(tree, 'initrd')),
      writeFile(join(tree, 'isolinux', 'isolinux.cfg'), renderIsolinuxConfig(spec.append)),
    ]);
    await buildEfiBootImage(
      work,
      renderGrubConfig(spec.append, marker),
      join(tree, EFI_BOOT_IMAGE),
    );
    // prettier-ignore
    await run('xorriso', [
      '-as', 'mkisofs', '-quiet', '-o', partial, '-V', 'GALVANIC_BOOT', '-J', '-R',
      '-b', 'isolinux/isolinux.bin', '-c', 'isolinux/boot.cat',
      '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table',
      '-eltorito-alt-boot', '-e', EFI_BOOT_IMAGE, '-no-emul-boot',
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
    await rm(work, { recursive: true, force: true });
  }
}

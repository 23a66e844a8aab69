/**
 * The ISO redfish-virtual-media boots: both El Torito records (BIOS and UEFI) as xorriso reports
 * them, the EFI System Partition's contents as mtools lists them, and a real UEFI boot of it
 * under QEMU with OVMF, whose serial console shows the ramdisk's marker and command line.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFI_BOOT_IMAGE, buildBootIso, renderGrubConfig } from '@galvanic/driver-generic';
import { buildInitramfs, skipWithoutQemu, testKernel, waitForConsole } from '@galvanic/testing';

const run = promisify(execFile);

/** Debian's `ovmf`: the UEFI firmware's code (read-only) and a template of its variable store. */
const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

describe('renderGrubConfig', () => {
  it('finds the ISO by its own file and boots its kernel and ramdisk with the command line, quoted', () => {
    expect(renderGrubConfig("console=ttyS0  x=$y it's", 'galvanic-boot-1')).toBe(
      [
        'search --no-floppy --set=root --file /galvanic-boot-1',
        `linux /vmlinuz 'console=ttyS0' 'x=$y' 'it'\\''s'`,
        'initrd /initrd',
        'boot',
        '',
      ].join('\n'),
    );
  });
});

describe('the virtual media boot ISO', () => {
  let work: string;
  let iso: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'galvanic-iso-test-'));
    writeFileSync(join(work, 'kernel'), 'not a kernel');
    writeFileSync(join(work, 'ramdisk'), 'not a ramdisk');
    iso = await buildBootIso({
      kernelPath: join(work, 'kernel'),
      ramdiskPath: join(work, 'ramdisk'),
      append: 'console=ttyS0',
      outputPath: join(work, 'boot.iso'),
    });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has a BIOS (ISOLINUX) and a UEFI (EFI System Partition image) El Torito entry', async () => {
    const { stdout, stderr } = await run('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
    const report = `${stdout}\n${stderr}`;
    expect(report).toMatch(/El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
    expect(report).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    expect(report).toMatch(/El Torito img path :\s+1\s+\/isolinux\/isolinux\.bin/);
    expect(report).toContain(`El Torito img path :   2  /${EFI_BOOT_IMAGE}`);
  });

  it('holds GRUB as the removable-media UEFI loader in the EFI System Partition', async () => {
    await run('xorriso', [
      '-osirrox',
      'on',
      '-indev',
      iso,
      '-extract',
      `/${EFI_BOOT_IMAGE}`,
      join(work, 'esp.img'),
    ]);
    const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
    const { stdout } = await run('mdir', ['-i', join(work, 'esp.img'), '-b', '::/EFI/BOOT'], {
      env,
    });
    expect(stdout.trim()).toBe('::/EFI/BOOT/BOOTX64.EFI');
    await run(
      'mcopy',
      ['-i', join(work, 'esp.img'), '::/EFI/BOOT/BOOTX64.EFI', join(work, 'loader.efi')],
      {
        env,
      },
    );
    // A PE image (the DOS stub's magic) with GRUB's configuration for this ISO built in.
    const loader = readFileSync(join(work, 'loader.efi'));
    expect(loader.subarray(0, 2).toString('latin1')).toBe('MZ');
    expect(loader.toString('latin1')).toMatch(
      /search --no-floppy --set=root --file \/galvanic-boot-[0-9a-f]{16}\nlinux \/vmlinuz 'console=ttyS0'\n/,
    );
  });
});

function skipWithoutUefiVm(): boolean {
  if (skipWithoutQemu('booting the ISO with UEFI')) return true;
  if (existsSync(OVMF_CODE)) return false;
  console.warn(`SKIPPED: booting the ISO with UEFI needs ${OVMF_CODE} (apt-get install ovmf)`);
  return true;
}

describe.skipIf(skipWithoutUefiVm())(
  'booting the virtual media ISO with UEFI firmware (QEMU + OVMF)',
  () => {
    let work: string;
    let qemu: ChildProcess | undefined;

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'galvanic-uefi-'));
    });
    afterAll(async () => {
      if (qemu && qemu.exitCode === null) {
        const exited = new Promise((resolve) => qemu?.once('exit', resolve));
        qemu.kill('SIGKILL');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    });

    it('boots the kernel and ramdisk with the node command line through the UEFI record', async () => {
      const marker = `uefi-boot-${process.pid}`;
      const iso = await buildBootIso({
        kernelPath: testKernel(),
        ramdiskPath: buildInitramfs(join(work, 'initramfs.gz'), { marker }),
        append: 'console=ttyS0 galvanic.test=uefi',
        outputPath: join(work, 'boot.iso'),
      });
      const vars = join(work, 'OVMF_VARS.fd');
      copyFileSync(OVMF_VARS, vars);
      const consoleFile = join(work, 'console.log');
      // GRUB's EFI loader runs out of memory for a Debian kernel with 256 MiB under OVMF.
      // prettier-ignore
      qemu = spawn('qemu-system-x86_64', [
      '-accel', 'tcg', '-m', '512', '-no-reboot', '-display', 'none', '-monitor', 'none',
      '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`,
      '-drive', `if=pflash,format=raw,unit=1,file=${vars}`,
      '-cdrom', iso, '-boot', 'd', '-net', 'none', '-serial', `file:${consoleFile}`,
    ], { stdio: 'ignore' });
      const text = await waitForConsole(consoleFile, /cmdline: [^\r\n]*\r?\n/, 150_000);
      expect(text).toContain('BdsDxe: starting Boot');
      expect(text).toContain(marker);
      expect(text).toMatch(/cmdline: BOOT_IMAGE=\/vmlinuz console=ttyS0 galvanic\.test=uefi\r?\n/);
    }, 200_000);
  },
);

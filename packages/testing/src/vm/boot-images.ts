/**
 * What a test VM boots: Debian's kernel (fetched once with `apt-get download` into a cache
 * outside the repository) and a busybox initramfs built per test whose `init` prints a marker.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** `~/.cache/galvanic` (or `$XDG_CACHE_HOME/galvanic`): kept across runs, outside the repo. */
export function galvanicCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'galvanic');
}

const BUSYBOX = '/bin/busybox';

/** The exact kernel package `linux-image-amd64` depends on, e.g. `linux-image-6.1.0-57-amd64`. */
function kernelPackage(): string {
  const out = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const name = /Depends:\s*(linux-image-\S+-amd64)/.exec(out)?.[1];
  if (!name) {
    throw new Error(
      'apt-cache does not know linux-image-amd64: run `apt-get update` (the boot tests take their kernel from Debian)',
    );
  }
  return name;
}

/**
 * Path of a Debian x86-64 kernel (`vmlinuz`): `$GALVANIC_TEST_KERNEL`, or the cached one, or one
 * downloaded now with `apt-get download` and extracted with `dpkg-deb` (about 70 MB, once).
 */
export function testKernel(): string {
  const given = process.env.GALVANIC_TEST_KERNEL;
  if (given) return given;
  const dir = join(galvanicCacheDir(), 'kernel');
  const path = join(dir, 'vmlinuz');
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'download-'));
  try {
    execFileSync('apt-get', ['download', kernelPackage()], {
      cwd: work,
      stdio: 'ignore',
      timeout: 300_000,
    });
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download left no .deb');
    execFileSync('dpkg-deb', ['-x', join(work, deb), join(work, 'root')], { timeout: 300_000 });
    const boot = join(work, 'root', 'boot');
    const vmlinuz = readdirSync(boot).find((name) => name.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`no vmlinuz in ${deb}`);
    renameSync(join(boot, vmlinuz), path);
    return path;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface InitramfsOptions {
  /** Printed on the console (after the kernel command line) once `init` runs. */
  readonly marker: string;
}

/**
 * Builds a gzipped newc initramfs at `path`: busybox (`busybox-static`) and an `init` that prints
 * `<marker>` and then `cmdline: <the kernel command line>` on the console, then idles.
 */
export function buildInitramfs(path: string, options: InitramfsOptions): string {
  const root = mkdtempSync(join(tmpdir(), 'galvanic-initramfs-'));
  try {
    for (const dir of ['bin', 'dev', 'proc', 'sys']) mkdirSync(join(root, dir));
    copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    writeFileSync(
      join(root, 'init'),
      [
        '#!/bin/busybox sh',
        '/bin/busybox --install -s /bin',
        'mount -t devtmpfs devtmpfs /dev',
        'mount -t proc proc /proc',
        'exec </dev/console >/dev/console 2>&1',
        `echo ${shellWord(options.marker)}`,
        'echo "cmdline: $(cat /proc/cmdline)"',
        'while true; do sleep 3600; done',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    execFileSync('sh', ['-c', `find . | cpio -o -H newc --quiet | gzip -1 > ${shellWord(path)}`], {
      cwd: root,
      timeout: 60_000,
    });
    return path;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface WholeDiskImageOptions {
  /** The kernel and initramfs the image boots with SYSLINUX. */
  readonly kernel: string;
  readonly initrd: string;
  /** The kernel command line (besides `initrd=`). */
  readonly append: string;
  /** Default 32 MiB. */
  readonly sizeMiB?: number;
}

/**
 * Builds a bootable whole-disk image without root: an MBR (SYSLINUX's boot code) with one FAT16
 * partition holding SYSLINUX, the kernel and the initramfs (`syslinux`, `mtools`, `dosfstools`,
 * `fdisk`'s sfdisk).
 */
export function buildWholeDiskImage(path: string, options: WholeDiskImageOptions): string {
  const sizeMiB = options.sizeMiB ?? 32;
  const offset = 1024 * 1024;
  const run = (command: string, args: string[], input?: string) =>
    execFileSync(command, args, { timeout: 60_000, input, stdio: ['pipe', 'ignore', 'pipe'] });
  rmSync(path, { force: true });
  run('truncate', ['-s', `${sizeMiB}M`, path]);
  run('sfdisk', ['--quiet', path], 'label: dos\n2048,,6,*\n');
  run('dd', [
    'if=/usr/lib/syslinux/mbr/mbr.bin',
    `of=${path}`,
    'bs=440',
    'count=1',
    'conv=notrunc',
  ]);
  run('mkfs.fat', [
    '-F',
    '16',
    '-n',
    'GALVANIC',
    `--offset=${offset / 512}`,
    path,
    String((sizeMiB * 1024 * 1024 - offset) / 1024),
  ]);
  run('syslinux', ['--offset', String(offset), '--install', path]);
  const config = mkdtempSync(join(tmpdir(), 'galvanic-disk-'));
  try {
    writeFileSync(
      join(config, 'syslinux.cfg'),
      `DEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n  APPEND initrd=initrd.gz ${options.append}\n`,
    );
    copyFileSync(options.kernel, join(config, 'vmlinuz'));
    copyFileSync(options.initrd, join(config, 'initrd.gz'));
    for (const name of ['syslinux.cfg', 'vmlinuz', 'initrd.gz']) {
      run('mcopy', ['-i', `${path}@@${offset}`, join(config, name), `::${name}`]);
    }
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
  return path;
}

import { open } from 'node:fs/promises';

/**
 * A whole-disk image of `bytes` bytes: an MBR with one FAT32 partition from sector 2048, filled
 * with `<marker>-<offset>` every 4 KiB, so a test can tell it was written (and where a config
 * drive partition went after it).
 */
export function wholeDiskImage(bytes: number, marker: string): Buffer {
  const image = Buffer.alloc(bytes);
  const entry = 446;
  image[entry + 4] = 0x0c; // FAT32 LBA
  image.writeUInt32LE(2048, entry + 8);
  image.writeUInt32LE(bytes / 512 - 2048, entry + 12);
  image[510] = 0x55;
  image[511] = 0xaa;
  for (let offset = 2048 * 512; offset < bytes; offset += 4096) {
    image.write(`${marker}-${offset}`, offset);
  }
  return image;
}

/** `length` bytes of a file (a disk image) from `offset`. */
export async function readFileRange(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await file.close();
  }
}

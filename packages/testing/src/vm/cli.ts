/**
 * `pnpm vm-bmc images DIR`: Debian's kernel and a busybox initramfs to deploy.
 * `pnpm vm-bmc ipmi|redfish [--bootfile-url URL] [--mac MAC]`: a BMC simulator with a QEMU VM
 * behind it, until Ctrl-C; prints the node's driver_info, the VM's MAC and its console file.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInitramfs, testKernel } from './boot-images';
import { startIpmiVm, type BmcVm, type VmOptions } from './ipmi-vm';
import { startRedfishVm } from './redfish-vm';

const USAGE = `usage: vm-bmc images DIR
       vm-bmc ipmi|redfish [--bootfile-url URL] [--mac MAC] [--memory MIB] [--minutes N]`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'bootfile-url': { type: 'string' },
      mac: { type: 'string' },
      memory: { type: 'string' },
      minutes: { type: 'string' },
      marker: { type: 'string' },
    },
  });
  const [command, dir] = positionals;
  if (command === 'images' && dir) {
    const target = resolve(dir);
    mkdirSync(target, { recursive: true });
    copyFileSync(testKernel(), join(target, 'vmlinuz'));
    buildInitramfs(join(target, 'initramfs.gz'), {
      marker: values.marker ?? 'Hello from the ramdisk Galvanic deployed',
    });
    process.stdout.write(`${join(target, 'vmlinuz')}\n${join(target, 'initramfs.gz')}\n`);
    return;
  }
  if (command !== 'ipmi' && command !== 'redfish') {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const options: VmOptions = {
    ...(values['bootfile-url'] ? { bootfileUrl: values['bootfile-url'] } : {}),
    ...(values.mac ? { macAddress: values.mac } : {}),
    ...(values.memory ? { memoryMiB: Number(values.memory) } : {}),
    maxRuntimeMs: Number(values.minutes ?? 60) * 60_000,
  };
  const vm: BmcVm & { driverInfo: object } =
    command === 'ipmi' ? await startIpmiVm(options) : await startRedfishVm(options);
  process.stdout.write(
    `${JSON.stringify({ driver_info: vm.driverInfo, mac: vm.macAddress, console: vm.serialPath }, null, 2)}\n`,
  );
  const stop = () => {
    void vm.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

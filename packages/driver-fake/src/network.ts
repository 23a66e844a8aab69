import { NetworkInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Pretends to move the node's ports between networks. */
export class FakeNetwork extends NetworkInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async addProvisioningNetwork(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'network', task);
  }

  async removeProvisioningNetwork(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'network', task);
  }

  async configureTenantNetworks(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'network', task);
  }

  async unconfigureTenantNetworks(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'network', task);
  }
}

import type { ChannelModel } from 'amqplib';
import type { Socket } from 'node:net';

/**
 * Makes every frame amqplib writes within one tick leave in a single send. With Nagle off (as it
 * must be, or each reply waits ~40 ms for an ACK), amqplib would otherwise make one syscall per
 * frame: a publish, a reply, an ack each cost a trip through the kernel's loopback path.
 * Corking until the end of the tick batches them without adding any delay.
 */
export function coalesceWritesPerTick(model: ChannelModel): void {
  const socket = (model as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!isSocket(socket)) return;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Socket['write'];
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Socket).cork === 'function' &&
    typeof (value as Socket).write === 'function'
  );
}

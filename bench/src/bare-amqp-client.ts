import amqp from 'amqplib';

const REPLY_TO = 'amq.rabbitmq.reply-to';

/** A bare amqplib request/reply client over direct reply-to. */
export async function bareAmqpClient(url: string, queue: string) {
  const connection = await amqp.connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  const pending = new Map<string, (body: Buffer) => void>();
  await channel.consume(
    REPLY_TO,
    (message) => {
      if (!message) return;
      const id = message.properties.correlationId as string;
      pending.get(id)?.(message.content);
      pending.delete(id);
    },
    { noAck: true },
  );
  let next = 0;
  return {
    call(body: string): Promise<Buffer> {
      const id = String((next += 1));
      return new Promise((resolve) => {
        pending.set(id, resolve);
        channel.sendToQueue(queue, Buffer.from(body), { correlationId: id, replyTo: REPLY_TO });
      });
    },
    close: () => connection.close(),
  };
}

import amqp from 'amqplib';

/**
 * Child process: the smallest request/reply server amqplib allows, the baseline the Galvanic RPC
 * layer is measured against.
 */
const [url, queue] = process.argv.slice(2) as [string, string];
const connection = await amqp.connect(url, { noDelay: true });
const channel = await connection.createChannel();
await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
await channel.consume(
  queue,
  (message) => {
    if (!message) return;
    channel.sendToQueue(message.properties.replyTo as string, message.content, {
      correlationId: message.properties.correlationId as string,
    });
  },
  { noAck: true },
);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void connection.close().then(() => process.exit(0));
});

import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/amqp/backoff';
import { maskUrl } from '../src/amqp/mask-url';

describe('maskUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(maskUrl('amqp://galvanic:s3cret@rabbit:5672/vhost')).toBe(
      'amqp://galvanic:******@rabbit:5672/vhost',
    );
    expect(maskUrl('amqp://rabbit')).toBe('amqp://rabbit');
    expect(maskUrl('not a url')).not.toContain('not a url');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffDelay(0);
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      const third = backoffDelay(2);
      expect(third).toBeGreaterThanOrEqual(200);
      expect(third).toBeLessThanOrEqual(400);
      const late = backoffDelay(40, { initialDelayMs: 100, maxDelayMs: 5_000 });
      expect(late).toBeGreaterThanOrEqual(2_500);
      expect(late).toBeLessThanOrEqual(5_000);
    }
  });
});

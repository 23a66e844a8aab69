import { describe, expect, it } from 'vitest';
import { appendJoined, RenderedRowCache } from '../src/resources/rendered-rows';

const bytes = (text: string) => Buffer.from(text);
const text = (json: Buffer | undefined) => json?.toString();

describe('RenderedRowCache', () => {
  it('gives a rendering back only for the version it was made from, and shape by shape', () => {
    const cache = new RenderedRowCache(1000);
    cache.shape('a').set(1, 'v1', bytes('{"x":1'));
    expect(text(cache.shape('a').get(1, 'v1'))).toBe('{"x":1');
    expect(cache.shape('a').get(1, 'v2')).toBeUndefined();
    expect(cache.shape('b').get(1, 'v1')).toBeUndefined();
    cache.shape('a').set(1, 'v2', bytes('{"x":2'));
    expect(cache.shape('a').get(1, 'v1')).toBeUndefined();
    expect(text(cache.shape('a').get(1, 'v2'))).toBe('{"x":2');
    expect(cache.size).toBe(1);
  });

  it('keeps at most its budget of bytes, dropping the oldest of other shapes first', () => {
    const cache = new RenderedRowCache(30);
    const old = cache.shape('old');
    old.set(1, 'v', bytes('a'.repeat(10)));
    old.set(2, 'v', bytes('b'.repeat(10)));
    const current = cache.shape('current');
    current.set(1, 'v', bytes('c'.repeat(10)));
    current.set(2, 'v', bytes('d'.repeat(10)));
    expect(cache.shape('old').get(1, 'v')).toBeUndefined();
    expect(text(cache.shape('old').get(2, 'v'))).toBe('b'.repeat(10));
    current.set(3, 'v', bytes('e'.repeat(15)));
    // Alone now: its own oldest goes.
    expect(cache.shape('old').get(2, 'v')).toBeUndefined();
    expect(cache.shape('current').get(1, 'v')).toBeUndefined();
    expect(text(cache.shape('current').get(2, 'v'))).toBe('d'.repeat(10));
    expect(text(cache.shape('current').get(3, 'v'))).toBe('e'.repeat(15));
    expect(cache.size).toBe(2);
    // More than the whole budget is never kept.
    current.set(4, 'v', bytes('f'.repeat(31)));
    expect(cache.shape('current').get(4, 'v')).toBeUndefined();
  });

  it('counts what two requests of a new shape keep at once, and can drop all of it', () => {
    const cache = new RenderedRowCache(20);
    const first = cache.shape('new');
    const second = cache.shape('new');
    first.set(1, 'v', bytes('a'.repeat(10)));
    second.set(2, 'v', bytes('b'.repeat(10)));
    expect(cache.size).toBe(2);
    expect(text(cache.shape('new').get(2, 'v'))).toBe('b'.repeat(10));
    const other = cache.shape('other');
    other.set(1, 'v', bytes('c'.repeat(10)));
    other.set(2, 'v', bytes('d'.repeat(10)));
    expect(cache.shape('new').get(1, 'v')).toBeUndefined();
    expect(cache.shape('new').get(2, 'v')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('registers no shape that never kept a rendering', () => {
    const cache = new RenderedRowCache(10);
    for (let i = 0; i < 100; i += 1) expect(cache.shape(`s${i}`).get(1, 'v')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('appendJoined', () => {
  it('joins a kept object without its closing brace and a fresh one into one object', () => {
    const joined = (kept: object, fresh: object | undefined) => {
      const out: Buffer[] = [];
      appendJoined(
        out,
        bytes(JSON.stringify(kept).slice(0, -1)),
        fresh === undefined ? undefined : JSON.stringify(fresh),
      );
      return JSON.parse(Buffer.concat(out).toString()) as unknown;
    };
    expect(joined({ a: 1 }, { b: null })).toEqual({ a: 1, b: null });
    expect(joined({}, { b: 'x' })).toEqual({ b: 'x' });
    expect(joined({ a: [1] }, {})).toEqual({ a: [1] });
    expect(joined({ a: 'é' }, undefined)).toEqual({ a: 'é' });
    expect(joined({}, {})).toEqual({});
  });
});

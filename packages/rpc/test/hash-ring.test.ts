import { describe, expect, it } from 'vitest';
import { HashRing } from '../src/index';

const keys = Array.from({ length: 10_000 }, (_, i) => `node-${i}-${(i * 7919) % 104729}`);

describe('HashRing', () => {
  it('is deterministic whatever the order hosts are given in', () => {
    const a = new HashRing(['c1', 'c2', 'c3']);
    const b = new HashRing(['c3', 'c1', 'c2', 'c1']);
    expect(b.hosts).toEqual(['c1', 'c2', 'c3']);
    for (const key of keys.slice(0, 500)) expect(b.get(key)).toBe(a.get(key));
  });

  it('spreads keys evenly', () => {
    const ring = new HashRing(['conductor-a', 'conductor-b', 'conductor-c']);
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(ring.get(key), (counts.get(ring.get(key)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['conductor-a', 'conductor-b', 'conductor-c']);
    for (const count of counts.values()) {
      expect(count / keys.length).toBeGreaterThan(0.2);
      expect(count / keys.length).toBeLessThan(0.45);
    }
  });

  it('moves only about 1/N of the keys when a host joins, all of them to the new host', () => {
    const before = new HashRing(['c1', 'c2', 'c3']);
    const after = new HashRing(['c1', 'c2', 'c3', 'c4']);
    let moved = 0;
    for (const key of keys) {
      if (before.get(key) !== after.get(key)) {
        moved += 1;
        expect(after.get(key)).toBe('c4');
      }
    }
    expect(moved / keys.length).toBeGreaterThan(0.15);
    expect(moved / keys.length).toBeLessThan(0.35);
  });

  it('throws when empty and rejects a bad partition count', () => {
    expect(() => new HashRing([]).get('x')).toThrow(/no hosts/);
    expect(() => new HashRing(['a'], { partitionsPerHost: 0 })).toThrow(RangeError);
    expect(new HashRing(['only']).get('anything')).toBe('only');
  });
});

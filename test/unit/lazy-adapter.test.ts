import { describe, expect, it } from 'vitest';
import { loadedOnce, loadedOnFirstCall } from '../../functions/app/lazy-adapter.js';

interface Greeter {
  ping(): Promise<void>;
  greet(name: string): Promise<string>;
}

class RealGreeter implements Greeter {
  constructor(private readonly greeting: string) {}
  async ping(): Promise<void> {}
  async greet(name: string): Promise<string> {
    return `${this.greeting}, ${name}`;
  }
}

const METHODS = { ping: true, greet: true } as const;

describe('an adapter loaded on its first call', () => {
  it('loads nothing until a method is called, then loads once and calls the real method on it', async () => {
    // Prepare
    let loads = 0;
    const adapter = loadedOnFirstCall<Greeter>(METHODS, async () => {
      loads += 1;
      return new RealGreeter('Hello');
    });
    expect(loads).toBe(0);

    // Act
    const answers = await Promise.all([adapter.greet('Ada'), adapter.greet('Grace')]);
    await adapter.ping();

    // Assess
    expect(answers).toEqual(['Hello, Ada', 'Hello, Grace']);
    expect(loads).toBe(1);
  });

  it('tries the load again on the next call when it failed', async () => {
    // Prepare: the first load cannot read its chunk.
    let loads = 0;
    const adapter = loadedOnFirstCall<Greeter>(METHODS, async () => {
      loads += 1;
      if (loads === 1) throw new Error('Cannot find module ./chunk-ses.mjs');
      return new RealGreeter('Hi');
    });

    // Act
    const first = adapter.greet('Ada');

    // Assess
    await expect(first).rejects.toThrow('Cannot find module');
    await expect(adapter.greet('Ada')).resolves.toBe('Hi, Ada');
  });

  it('is a plain object of its methods: it can be logged and serialised without loading anything', () => {
    // Prepare
    let loads = 0;
    const adapter = loadedOnFirstCall<Greeter>(METHODS, async () => {
      loads += 1;
      return new RealGreeter('Hello');
    });

    // Act
    const seen = {
      keys: Object.keys(adapter),
      json: JSON.stringify({ adapter }),
      text: `${String(adapter)}`,
    };

    // Assess
    expect(seen).toEqual({ keys: ['ping', 'greet'], json: '{"adapter":{}}', text: '[object Object]' });
    expect('greet' in adapter).toBe(true);
    expect((adapter as unknown as Record<string, unknown>).then).toBeUndefined();
    expect(loads).toBe(0);
  });
});

describe('a module loaded once', () => {
  it('runs its load on the first call only, however many calls wait for it', async () => {
    let loads = 0;
    const module = loadedOnce(async () => {
      loads += 1;
      return { answer: 42 };
    });
    expect(loads).toBe(0);

    const results = await Promise.all([module(), module()]);
    const later = await module();

    expect(results.map((m) => m.answer)).toEqual([42, 42]);
    expect(later).toBe(results[0]);
    expect(loads).toBe(1);
  });

  it('loads again on the next call after a load that failed', async () => {
    let loads = 0;
    const module = loadedOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('the chunk could not be read');
      return { answer: 42 };
    });

    await expect(module()).rejects.toThrow('the chunk could not be read');
    const second = await module();

    expect(second.answer).toBe(42);
    expect(loads).toBe(2);
  });
});

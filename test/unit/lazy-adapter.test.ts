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

describe('an adapter with a method answering an async iterable, loaded on its first call', () => {
  interface Lister {
    count(): Promise<number>;
    list(prefix: string): AsyncIterable<string>;
  }
  class RealLister implements Lister {
    async count(): Promise<number> {
      return 2;
    }
    async *list(prefix: string): AsyncIterable<string> {
      yield `${prefix}-1`;
      yield `${prefix}-2`;
    }
  }

  it('loads when the iteration starts, not when the method is called, and yields what the real method yields', async () => {
    // Prepare
    let loads = 0;
    const adapter = loadedOnFirstCall<Lister>({ count: true, list: 'iterable' }, async () => {
      loads += 1;
      return new RealLister();
    });

    // Act
    const iterable = adapter.list('case');
    const loadsBeforeIterating = loads;
    const items: string[] = [];
    for await (const item of iterable) items.push(item);

    // Assess
    expect(loadsBeforeIterating).toBe(0);
    expect(items).toEqual(['case-1', 'case-2']);
    expect(await adapter.count()).toBe(2);
    expect(loads).toBe(1);
  });

  it('fails the iteration when the load fails, and loads again on the next', async () => {
    // Prepare
    let loads = 0;
    const adapter = loadedOnFirstCall<Lister>({ count: true, list: 'iterable' }, async () => {
      loads += 1;
      if (loads === 1) throw new Error('Cannot find module ./chunk-dynamodb.mjs');
      return new RealLister();
    });
    const all = async (iterable: AsyncIterable<string>) => {
      const items: string[] = [];
      for await (const item of iterable) items.push(item);
      return items;
    };

    // Act
    const first = all(adapter.list('case'));

    // Assess
    await expect(first).rejects.toThrow('Cannot find module');
    await expect(all(adapter.list('case'))).resolves.toEqual(['case-1', 'case-2']);
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

import { createLifecycle } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';

const logger = createLogger('kit-test', 'silent');

describe('createLifecycle', () => {
  it('runs shutdown steps in reverse order of registration, flipping readiness first', async () => {
    const lifecycle = createLifecycle(logger);
    const order: string[] = [];
    const step = (name: string) => () => {
      order.push(`${name}(shuttingDown=${lifecycle.isShuttingDown()})`);
    };
    lifecycle.onShutdown('database', step('database'));
    lifecycle.onShutdown('nats', step('nats'));
    lifecycle.onShutdown('outbox relay', step('outbox relay'));
    lifecycle.onShutdown('http', step('http'));
    expect(lifecycle.isShuttingDown()).toBe(false);

    await expect(lifecycle.shutdown('test')).resolves.toEqual({ ok: true, failed: [] });
    expect(order).toEqual([
      'http(shuttingDown=true)',
      'outbox relay(shuttingDown=true)',
      'nats(shuttingDown=true)',
      'database(shuttingDown=true)',
    ]);
  });

  it('moves on past a step that times out or throws, and reports both', async () => {
    const lifecycle = createLifecycle(logger, { hookTimeoutMs: 50 });
    const ran: string[] = [];
    lifecycle.onShutdown('database', () => void ran.push('database'));
    lifecycle.onShutdown('stuck', () => new Promise(() => undefined));
    lifecycle.onShutdown('broken', () => {
      throw new Error('boom');
    });
    lifecycle.onShutdown('slow but allowed', () => new Promise<void>((r) => setTimeout(r, 80)), {
      timeoutMs: 1000,
    });

    const started = Date.now();
    const result = await lifecycle.shutdown();
    expect(result).toEqual({ ok: false, failed: ['broken', 'stuck'] });
    expect(ran).toEqual(['database']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is idempotent: a second shutdown() returns the same run and steps run once', async () => {
    const lifecycle = createLifecycle(logger);
    let runs = 0;
    lifecycle.onShutdown('count', async () => {
      runs += 1;
    });
    const first = lifecycle.shutdown();
    const second = lifecycle.shutdown();
    expect(second).toBe(first);
    await first;
    await lifecycle.shutdown();
    expect(runs).toBe(1);
    expect(() => lifecycle.onShutdown('late', () => undefined)).toThrow(/already started/);
  });

  it('on SIGTERM shuts down and exits 0 when clean, 1 when a step failed', async () => {
    for (const [fails, code] of [
      [false, 0],
      [true, 1],
    ] as const) {
      const exited = new Promise<number>((resolve) => {
        const lifecycle = createLifecycle(logger, { hookTimeoutMs: 50, exit: resolve });
        lifecycle.onShutdown('step', () => (fails ? new Promise(() => undefined) : undefined));
        const uninstall = lifecycle.installSignalHandlers();
        process.emit('SIGTERM', 'SIGTERM');
        void lifecycle.shutdown().then(uninstall);
      });
      await expect(exited).resolves.toBe(code);
    }
  });

  it('a second signal during shutdown exits 1 at once', async () => {
    const exits: number[] = [];
    const lifecycle = createLifecycle(logger, { exit: (c) => exits.push(c) });
    let finish!: () => void;
    lifecycle.onShutdown('drain', () => new Promise<void>((r) => (finish = r)));
    const uninstall = lifecycle.installSignalHandlers();
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
    await new Promise((r) => setImmediate(r));
    finish();
    await lifecycle.shutdown();
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1, 0]);
    uninstall();
  });
});

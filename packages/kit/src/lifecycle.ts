import type { Logger } from './logger';

export type ShutdownHook = () => void | Promise<void>;

export interface ShutdownResult {
  /** True when every hook finished in time without throwing. */
  ok: boolean;
  /** Names of the hooks that threw or timed out. */
  failed: string[];
}

export interface LifecycleOptions {
  /** How long one hook may take before shutdown moves on to the next (default 10 s). */
  hookTimeoutMs?: number;
  /** Replaced in tests; defaults to `process.exit`. */
  exit?: (code: number) => void;
}

export interface Lifecycle {
  /**
   * Registers a step of shutdown. Steps run one at a time in REVERSE order of registration, so
   * register in start-up order (database, NATS, outbox relay, servers) and shutdown undoes it:
   * servers stop intake first, then the relay flushes, then connections close.
   */
  onShutdown(name: string, fn: ShutdownHook, options?: { timeoutMs?: number }): void;
  /** True from the first moment of shutdown: `/readyz` turns 503 before anything else stops. */
  isShuttingDown(): boolean;
  /** Runs the hooks once; later calls return the same promise. Never rejects. */
  shutdown(reason?: string): Promise<ShutdownResult>;
  /**
   * SIGTERM/SIGINT → shutdown → exit 0 when clean, 1 when a hook failed or timed out. A second
   * signal while shutting down exits 1 at once (an operator pressing Ctrl-C twice means it).
   * Returns a function that removes the handlers.
   */
  installSignalHandlers(): () => void;
}

interface Hook {
  name: string;
  fn: ShutdownHook;
  timeoutMs: number;
}

export function createLifecycle(logger: Logger, options: LifecycleOptions = {}): Lifecycle {
  const defaultTimeoutMs = options.hookTimeoutMs ?? 10_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const hooks: Hook[] = [];
  let running: Promise<ShutdownResult> | undefined;

  async function runHooks(reason: string): Promise<ShutdownResult> {
    logger.info({ reason }, 'shutting down');
    const failed: string[] = [];
    for (const hook of [...hooks].reverse()) {
      const started = Date.now();
      try {
        await withTimeout(Promise.resolve().then(hook.fn), hook.timeoutMs, hook.name);
        logger.info({ hook: hook.name, ms: Date.now() - started }, 'shutdown step done');
      } catch (err) {
        failed.push(hook.name);
        logger.error({ err, hook: hook.name, ms: Date.now() - started }, 'shutdown step failed');
      }
    }
    const result = { ok: failed.length === 0, failed };
    logger.info(result, 'shutdown complete');
    return result;
  }

  const lifecycle: Lifecycle = {
    onShutdown(name, fn, hookOptions = {}) {
      if (running)
        throw new Error(`Cannot register shutdown step "${name}": shutdown has already started`);
      hooks.push({ name, fn, timeoutMs: hookOptions.timeoutMs ?? defaultTimeoutMs });
    },
    isShuttingDown: () => running !== undefined,
    shutdown(reason = 'requested') {
      running ??= runHooks(reason);
      return running;
    },
    installSignalHandlers() {
      const onSignal = (signal: NodeJS.Signals) => {
        if (running) {
          logger.warn({ signal }, 'second signal during shutdown: exiting now');
          exit(1);
          return;
        }
        void lifecycle.shutdown(signal).then((result) => exit(result.ok ? 0 : 1));
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      return () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      };
    },
  };
  return lifecycle;
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`shutdown step "${name}" timed out after ${ms} ms`)),
      ms,
    );
    // A pending timer must not keep a process alive whose work is otherwise done.
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

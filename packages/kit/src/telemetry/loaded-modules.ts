/** The part of `@opentelemetry/instrumentation`'s module definitions this file drives. */
interface PatchTarget {
  name: string;
  patch?: (moduleExports: unknown, moduleVersion?: string) => unknown;
  unpatch?: (moduleExports?: unknown, moduleVersion?: string) => void;
}
interface ModuleDefinition extends PatchTarget {
  files: PatchTarget[];
}
interface WithModuleDefinitions {
  getModuleDefinitions(): ModuleDefinition[];
}

export type ModuleLoader = (id: string) => unknown;

const hasModuleDefinitions = (i: object): i is WithModuleDefinitions =>
  typeof (i as Partial<WithModuleDefinitions>).getModuleDefinitions === 'function';

/**
 * Applies the instrumentations' patches to the modules as `load` resolves them, and returns
 * what undoes them. Instrumentations normally patch from a `require` hook, which never fires
 * for loaders that bypass Node's `Module` (jest's module registry), so there this is the only
 * way anything gets traced. Modules that are not installed (e.g. `pg-native`) are skipped.
 */
export function patchModules(instrumentations: readonly object[], load: ModuleLoader): () => void {
  const undo: (() => void)[] = [];
  for (const instrumentation of instrumentations) {
    if (!hasModuleDefinitions(instrumentation)) continue;
    for (const definition of instrumentation.getModuleDefinitions()) {
      const version = packageVersion(load, definition.name);
      // Files first, then the package: the order the require hook sees them in.
      for (const target of [...definition.files, definition]) {
        if (!target.patch) continue;
        const moduleExports = tryLoad(load, target.name);
        if (moduleExports === undefined) continue;
        target.patch(moduleExports, version);
        undo.push(() => target.unpatch?.(moduleExports, version));
      }
    }
  }
  return () => {
    for (const step of undo.reverse()) step();
  };
}

function tryLoad(load: ModuleLoader, id: string): unknown {
  try {
    return load(id);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

function packageVersion(load: ModuleLoader, name: string): string | undefined {
  const manifest = tryLoad(load, `${name}/package.json`) as { version?: unknown } | undefined;
  return typeof manifest?.version === 'string' ? manifest.version : undefined;
}

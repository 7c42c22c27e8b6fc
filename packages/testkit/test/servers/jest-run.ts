import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/ports';

const REPO = join(__dirname, '../../../..');

export interface JestRun {
  code: number | null;
  output: string;
}

/**
 * A real jest run of some of the kit's test files, in a child process, as if on a machine where
 * nothing answers on the default local ports: only the "already running" probe is pointed at a
 * closed port, and no server address is given. `env` adds to that.
 */
export async function jestRunWithoutLocalServers(
  files: string[],
  env: NodeJS.ProcessEnv,
): Promise<JestRun> {
  const closed = `127.0.0.1:${await freePort()}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PROBE_LOCAL_PG: closed,
    PROBE_LOCAL_NATS: closed,
    ...env,
  };
  for (const given of ['TEST_PG_URL', 'PG_URL', 'TEST_NATS_URL', 'NATS_URL'])
    delete childEnv[given];
  const child = spawn(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--maxWorkers=1', '--ci', '--colors=false', ...files],
    { cwd: join(REPO, 'packages/kit'), env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, output };
}

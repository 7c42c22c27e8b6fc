import type { ProvidedServers } from './index';

// globalSetup and globalTeardown run in the same process but are loaded as separate module
// graphs, so the run's servers are kept on the global object (as jest's documentation advises).
const KEY = Symbol.for('aftercare.testServers');
const holder = globalThis as { [KEY]?: ProvidedServers };

export const RUN_SERVERS = {
  set(servers: ProvidedServers) {
    holder[KEY] = servers;
  },
  take(): ProvidedServers | undefined {
    const servers = holder[KEY];
    delete holder[KEY];
    return servers;
  },
};

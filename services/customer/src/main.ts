import { ConfigError } from '@aftercare/kit';
import { loadCustomerConfig } from './config';
import { startCustomerService } from './service';

async function main() {
  const service = await startCustomerService(loadCustomerConfig());
  service.lifecycle.installSignalHandlers();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

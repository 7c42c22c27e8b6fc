// Entry point (`node gateway/dist/dev-token-cli.js …`, or the root `npm run dev-token -- …`,
// which loads it after setting JWT_SECRET): prints a token on stdout.
import { devTokenFromArgs } from './dev-token';

try {
  console.log(devTokenFromArgs(process.argv.slice(2)));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}

/**
 * Child process: the whole platform (`startPlatform`, as `npm start` runs it), from the compiled
 * dist/ by default or from the TypeScript sources. Configured entirely by environment variables,
 * like production; BENCH_PLATFORM_MODULE names the module that exports startPlatform.
 */
import type { startPlatform as StartPlatform } from '../../../apps/standalone/src/platform';
import { runChild } from './child-ipc';

runChild(async () => {
  const modulePath = process.env.BENCH_PLATFORM_MODULE;
  if (!modulePath) throw new Error('BENCH_PLATFORM_MODULE is not set');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time (dist or sources)
  const { startPlatform } = require(modulePath) as { startPlatform: typeof StartPlatform };
  const platform = await startPlatform(process.env);
  return {
    url: process.env.PUBLIC_URL ?? platform.url,
    info: { pid: process.pid, module: modulePath },
    close: () => platform.close(),
  };
});

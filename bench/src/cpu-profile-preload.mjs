// Loaded with `--import` (allowed in NODE_OPTIONS, unlike --cpu-prof) when
// $GALVANIC_CPU_PROFILE_DIR is set: SIGUSR2 starts V8's CPU profiler, the next SIGUSR2 stops it
// and writes <entry>-<pid>.cpuprofile there, so a profile covers a workload and not start-up.
import { Session } from 'node:inspector';
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const folder = process.env.GALVANIC_CPU_PROFILE_DIR;
if (folder) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.start');
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const entry = process.argv[1] ?? 'node';
      const name = `${basename(dirname(dirname(entry)))}-${basename(entry, '.ts')}-${process.pid}`;
      writeFileSync(join(folder, `${name}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

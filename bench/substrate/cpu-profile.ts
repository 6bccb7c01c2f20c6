/**
 * Preloaded into the service child by `npm run bench -- --profile`: the message 'start' (over
 * the IPC channel; Nest's shutdown hooks own the signals) starts the V8 CPU profiler, 'stop'
 * stops it and writes CPU_PROFILE_FILE (a .cpuprofile, as
 * `node --cpu-prof` writes), so the profile covers the load alone, not the start.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
let running = false;
process.channel?.unref();
process.on('message', (message) => {
  if (message === 'start' && !running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  } else if (message === 'stop' && running) {
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(process.env.CPU_PROFILE_FILE!, JSON.stringify(result.profile));
      process.send?.('written');
    });
  }
});

// Child of spawner.test.ts: the built spawner in a process started with a module preloaded (--import)
// that listens for IPC messages, as the spawner child inherits it; prints what the first program gave.
const [distUrl] = process.argv.slice(2);
const { listBlockDevices, runProgram, useSpawner } = await import(new URL('host/spawner.js', distUrl).href);
const release = useSpawner();
const first = await runProgram('sh', ['-c', 'echo first'], { timeoutMs: 5_000 });
const devices = await listBlockDevices();
await release();
process.stdout.write(`${JSON.stringify({ first, devices: Array.isArray(devices) })}\n`);

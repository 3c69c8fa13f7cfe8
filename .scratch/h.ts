import { createHostMedia } from '../src/host/index.js';
import { pino } from 'pino';
const h = createHostMedia({ logger: pino({level:'silent'}) });
console.log(await h.resolve('/tmp'), await h.resolve('/dev/shm'), await h.resolve('/work/main'));
console.log(await h.blockDevices());

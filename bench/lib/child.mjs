// Runs one bundled handler once in this fresh process and prints what it cost, as one JSON line.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

// Every socket the handler opens, to count the bytes it actually read from the network.
const sockets = new Set();
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  sockets.add(this);
  return connect.apply(this, args);
};

const [bundle, eventArg] = process.argv.slice(2);
// One event as JSON, or `@file` holding an array of events run one after another (throughput).
const events = eventArg.startsWith('@')
  ? JSON.parse(readFileSync(eventArg.slice(1), 'utf8'))
  : [JSON.parse(eventArg)];
const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'bench', awsRequestId: 'bench' };
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const initMs = performance.now() - t0;
const cpu0 = process.cpuUsage();
const t1 = performance.now();
let response;
for (const event of events) response = await mod.handler(event, context);
const handlerMs = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);
// VmHWM is the peak RSS of this address space; getrusage's maxRSS would include the parent's pages at fork.
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const maxRssMB = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
let bytesRead = 0;
for (const s of sockets) bytesRead += s.bytesRead;
process.stdout.write(
  `${JSON.stringify({ initMs, handlerMs, invocations: events.length, sockets: sockets.size, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB, bytesRead, response })}\n`,
);

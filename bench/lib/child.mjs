// Runs a bundled handler in this fresh process, once per event, and prints what each invocation cost as one JSON line.
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
const bytesRead = () => [...sockets].reduce((n, s) => n + s.bytesRead, 0);

const [bundle, eventArg] = process.argv.slice(2);
// One event as JSON, or `@file` holding an array of events run one after another.
const events = eventArg.startsWith('@')
  ? JSON.parse(readFileSync(eventArg.slice(1), 'utf8'))
  : [JSON.parse(eventArg)];
const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'bench', awsRequestId: 'bench' };
// CPU of this process's main thread alone (utime + stime of its task, in 10 ms ticks), beside process.cpuUsage(),
// which adds V8's background compiler and GC threads; undefined without /proc.
const mainThreadMs = () => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
};
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const initMs = performance.now() - t0;
const invocations = [];
let response;
const main0 = mainThreadMs();
for (const event of events) {
  const cpu0 = process.cpuUsage();
  const bytes0 = bytesRead();
  const start = performance.now();
  response = await mod.handler(event, context);
  // Read before cpuUsage(), whose system call (0.05–0.1 ms on some hosts) is the bench's cost, not the handler's.
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  invocations.push({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytesRead: bytesRead() - bytes0,
  });
}
// VmHWM is the peak RSS of this address space; getrusage's maxRSS would include the parent's pages at fork.
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const maxRssMB = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
const main1 = mainThreadMs();
const mainThreadCpuMs = main0 === undefined || main1 === undefined ? undefined : main1 - main0;
const handlerMs = invocations.reduce((n, i) => n + i.ms, 0);
process.stdout.write(
  `${JSON.stringify({ initMs, handlerMs, invocations, mainThreadCpuMs, maxRssMB, response })}\n`,
);

import fs from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
const { path } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const socket = net.connect(path); await once(socket, 'connect');
let pending = null; let buf = []; let got = 0; let need = -1; let first = 0;
socket.on('data', (d) => { if (got === 0) first = performance.now(); buf.push(d); got += d.length;
  if (need < 0) { const s = Buffer.concat(buf); const i = s.indexOf('\r\n\r\n'); if (i >= 0) { need = i + 4 + Number(/Content-Length: (\d+)/.exec(s.toString('latin1', 0, i))[1]); } }
  if (need >= 0 && got >= need) { const r = pending; pending = null; r(); } });
const call = (id) => new Promise((res) => { pending = res; buf = []; got = 0; need = -1; const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'orders:getAll', params: [] }); socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`); });
const t = [], ttfb = [];
for (let i = 0; i < 20; i++) await call(i);
for (let i = 0; i < 500; i++) { const s = performance.now(); await call(100 + i); t.push(performance.now() - s); ttfb.push(first - s); }
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(2); };
console.log(`raw bytes: total p50 ${pct(t, .5)} p90 ${pct(t, .9)} p99 ${pct(t, .99)} max ${pct(t, 1)}; first byte p50 ${pct(ttfb, .5)} p99 ${pct(ttfb, .99)}`);
socket.end();

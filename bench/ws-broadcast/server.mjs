// The simplest broadcast server ws allows: every socket gets every message; no protocol, channels or JSON parsing.
// Usage: node server.mjs <port> <events per second>; prints "ready" once listening and starts broadcasting when a
// line arrives on stdin (once the clients are connected, as the hub's publisher starts after they subscribed).
import { WebSocketServer } from 'ws';
import { createInterface } from 'node:readline';

const [port, rate] = [Number(process.argv[2]), Number(process.argv[3])];
const server = new WebSocketServer({ port, perMessageDeflate: false });
let sequence = 0;
server.on('listening', () => console.log('ready'));
createInterface({ input: process.stdin }).once('line', () => {
  setInterval(() => {
    sequence += 1;
    const frame = JSON.stringify({ event: 'tick', channel: 'bench', data: JSON.stringify({ sequence, sent: Date.now() }) });
    for (const client of server.clients) client.send(frame);
  }, 1000 / rate);
});

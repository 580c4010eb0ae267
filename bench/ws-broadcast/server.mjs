// The simplest broadcast server ws allows: every socket gets every message; no protocol, channels or subscriptions.
// Usage: node server.mjs <port>; prints "ready" once listening, then broadcasts one tick for each
// "<sequence> <sent> <padding bytes>" line on stdin, so the bench's clock drives it exactly as it drives the hub's publisher.
import { WebSocketServer } from 'ws';
import { createInterface } from 'node:readline';

const server = new WebSocketServer({ port: Number(process.argv[2]), perMessageDeflate: false });
server.on('listening', () => console.log('ready'));
createInterface({ input: process.stdin }).on('line', (line) => {
  const [sequence, sent, padding] = line.split(' ').map(Number);
  const frame = JSON.stringify({ event: 'tick', channel: 'bench', data: JSON.stringify({ sequence, sent, padding: 'x'.repeat(padding) }) });
  for (const client of server.clients) client.send(frame);
});

// A restaurant's screen as the spec's useOrderEvents.js builds it, for a test that runs beside it: Echo on a private
// channel, one JSON line on stdout per event, {"subscribed":true} once subscribed, and, for each line on stdin, a
// pusher:ping whose {"pong":true} comes after every event the hub sent before it.
// Environment: the harness's, plus ECHO_TOKEN (the member's bearer token), ECHO_CHANNEL (orders.{tenant}), ECHO_EVENT.
import readline from 'node:readline';
import { api, echoFor, subscribed } from './harness.mjs';

const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const echo = echoFor({ http: api(process.env.ECHO_TOKEN) });
const channel = echo.private(process.env.ECHO_CHANNEL);
channel.listen(`.${process.env.ECHO_EVENT}`, (data) => print({ event: process.env.ECHO_EVENT, data }));
await subscribed(channel, `${process.env.ECHO_CHANNEL} subscribed`, 30_000);

const pusher = echo.connector.pusher;
pusher.connection.bind('message', (message) => message.event === 'pusher:pong' && print({ pong: true }));
readline
  .createInterface({ input: process.stdin })
  .on('line', () => pusher.send_event('pusher:ping', {}))
  .on('close', () => {
    echo.disconnect();
    process.exit(0);
  });
print({ subscribed: true });

// Client events between two Echo clients: whisper() and listenForWhisper(), never echoed to the sender.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff, echoFor, first, registerRestaurant, subscribed } from './harness.mjs';

const echoes = [];
after(() => echoes.forEach((echo) => echo.disconnect()));

test('a whisper on a private channel reaches the other subscriber only', async () => {
  const owner = await registerRestaurant();
  const waiter = await addStaff(owner, 'waiter');
  const sender = echoFor(owner);
  const receiver = echoFor(waiter);
  echoes.push(sender, receiver);
  const sending = sender.private(`tables.${owner.tenantId}`);
  const receiving = receiver.private(`tables.${owner.tenantId}`);
  const echoedToSender = [];
  sending.listenForWhisper('typing', (event) => echoedToSender.push(event));
  const heard = first('the whisper', (done) => receiving.listenForWhisper('typing', done));
  await Promise.all([subscribed(sending), subscribed(receiving)]);

  sending.whisper('typing', { table: 12, by: 'Ana' });
  const whisper = await heard;
  const reply = first('the reply', (done) => sending.listenForWhisper('typing', done));
  receiving.whisper('typing', { table: 3 });
  await reply;

  assert.deepEqual(whisper, { table: 12, by: 'Ana' });
  assert.deepEqual(echoedToSender, [{ table: 3 }]);
});

// Echo.join() on the restaurant's presence channel: here(), joining() and leaving() once per user.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff, echoFor, first, registerRestaurant } from './harness.mjs';

const echoes = [];
after(() => echoes.forEach((echo) => echo.disconnect()));

test('presence-restaurant lists the staff connected now and announces who joins and leaves', async () => {
  const owner = await registerRestaurant();
  const waiter = await addStaff(owner, 'waiter', 'Bruno');
  const ownersEcho = echoFor(owner);
  echoes.push(ownersEcho);
  const room = ownersEcho.join(`restaurant.${owner.tenantId}`);
  const hereFirst = await first('here() for the owner', (done) => room.here(done));
  const joining = first('joining()', (done) => room.joining(done));
  const leaving = first('leaving()', (done) => room.leaving(done));

  const waitersEcho = echoFor(waiter);
  const waitersRoom = waitersEcho.join(`restaurant.${owner.tenantId}`);
  const hereSecond = await first('here() for the waiter', (done) => waitersRoom.here(done));
  const joined = await joining;
  waitersEcho.disconnect();
  const left = await leaving;

  assert.deepEqual(hereFirst.map((member) => member.name), ['Ana']);
  assert.deepEqual(hereSecond.map((member) => member.name).sort(), ['Ana', 'Bruno']);
  assert.equal(joined.name, 'Bruno');
  assert.equal(joined.role, 'waiter');
  assert.equal(left.name, 'Bruno');
});

// The spec's useOrderEvents.js: Echo.private(`orders.${tenantId}`).listen('.order.created') and
// '.order.status.changed', fed by orders created and moved through the REST API.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { echoFor, first, menuOf, registerRestaurant, subscribed } from './harness.mjs';

const echoes = [];
after(() => echoes.forEach((echo) => echo.disconnect()));

test('Echo on private orders channel receives order.created and order.status.changed from the REST API', async () => {
  const owner = await registerRestaurant();
  const menu = await menuOf(owner);
  const echo = echoFor(owner);
  echoes.push(echo);
  const channel = echo.private(`orders.${owner.tenantId}`);
  const created = first('order.created', (done) => channel.listen('.order.created', done));
  const changed = first('order.status.changed', (done) => channel.listen('.order.status.changed', done));
  await subscribed(channel);

  const order = await menu.order();
  const event = await created;
  await owner.http.patch(`/api/v1/orders/${order.id}`, { status: 'confirmed' });
  const moved = await changed;

  assert.equal(event.order.id, order.id);
  assert.equal(event.order.total, 42.5);
  assert.equal(moved.order.id, order.id);
  assert.equal(moved.order.status, 'confirmed');
});

test('an order placed with X-Socket-ID is not echoed to the socket that placed it (toOthers)', async () => {
  const owner = await registerRestaurant();
  const menu = await menuOf(owner);
  const pos = echoFor(owner);
  const kitchen = echoFor(owner);
  echoes.push(pos, kitchen);
  const posChannel = pos.private(`orders.${owner.tenantId}`);
  const kitchenChannel = kitchen.private(`orders.${owner.tenantId}`);
  const seenByPos = [];
  posChannel.listen('.order.created', (event) => seenByPos.push(event.order.id));
  const seenByKitchen = first('order.created on the kitchen screen', (done) => kitchenChannel.listen('.order.created', done));
  await Promise.all([subscribed(posChannel), subscribed(kitchenChannel)]);

  const order = await menu.order({ 'X-Socket-ID': pos.socketId() });
  const kitchenEvent = await seenByKitchen;
  // Listening before placing it: the event may arrive before the API's answer does.
  const secondOnPos = first('a second order on the POS', (done) => posChannel.listen('.order.created', done));
  const second = await menu.order();
  await secondOnPos;

  assert.equal(kitchenEvent.order.id, order.id);
  assert.deepEqual(seenByPos, [second.id]);
});

// One restaurant never hears another's events and is never authorized on its channels; forged signatures fail.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Pusher from 'pusher-js';
import { echoFor, env, first, menuOf, registerRestaurant, subscribed } from './harness.mjs';

const clients = [];
after(() => clients.forEach((client) => client.disconnect()));

test("another restaurant's orders channel fires Echo's error() and its orders never arrive", async () => {
  const restaurantA = await registerRestaurant('A');
  const restaurantB = await registerRestaurant('B');
  const menuA = await menuOf(restaurantA);
  const echoB = echoFor(restaurantB);
  clients.push(echoB);
  const intruding = echoB.private(`orders.${restaurantA.tenantId}`);
  const refused = first("error() on A's channel", (done) => intruding.error(done));
  const own = echoB.private(`orders.${restaurantB.tenantId}`);
  const ownReady = subscribed(own);
  const heardByB = [];
  own.listen('.order.created', (event) => heardByB.push(event.order.id));
  intruding.listen('.order.created', (event) => heardByB.push(event.order.id));

  const error = await refused;
  await ownReady;
  const echoA = echoFor(restaurantA);
  clients.push(echoA);
  const channelA = echoA.private(`orders.${restaurantA.tenantId}`);
  const heardByA = first('the order on A', (done) => channelA.listen('.order.created', done));
  await subscribed(channelA);
  const order = await menuA.order();
  assert.equal((await heardByA).order.id, order.id);

  // The spec's authorizer reports a refusal as callback(true, ...): pusher-js turns it into an AuthError.
  assert.equal(error.type, 'AuthError');
  assert.deepEqual(heardByB, []);
});

test('a subscription with a forged signature is refused by the hub with a subscription error', async () => {
  const restaurant = await registerRestaurant();
  const pusher = new Pusher(env.key, {
    wsHost: env.wsHost,
    wsPort: env.wsPort,
    forceTLS: false,
    cluster: 'mt1',
    enabledTransports: ['ws'],
    authorizer: () => ({ authorize: (_socketId, callback) => callback(null, { auth: `${env.key}:${'0'.repeat(64)}` }) }),
  });
  clients.push(pusher);
  const channel = pusher.subscribe(`private-orders.${restaurant.tenantId}`);

  const error = await first('pusher:subscription_error', (done) => channel.bind('pusher:subscription_error', done));

  assert.equal(error.type, 'AuthError');
  assert.equal(error.status, 401);
  assert.equal(channel.subscribed, false);
});

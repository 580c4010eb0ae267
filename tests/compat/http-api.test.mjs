// The hub's HTTP API driven by the official `pusher` server library, as another backend would use it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import PusherServer from 'pusher';
import Pusher from 'pusher-js';
import { addStaff, echoFor, env, first, registerRestaurant } from './harness.mjs';

const clients = [];
after(() => clients.forEach((client) => client.disconnect()));

const server = (secret = env.secret) =>
  new PusherServer({ appId: env.appId, key: env.key, secret, host: env.wsHost, port: String(env.wsPort), useTLS: false });

function listener() {
  const client = new Pusher(env.key, { wsHost: env.wsHost, wsPort: env.wsPort, forceTLS: false, cluster: 'mt1', enabledTransports: ['ws'] });
  clients.push(client);
  return client;
}

/** Polls until the answer satisfies the check: counts are kept in Redis by whichever replica holds the socket. */
async function eventually(read, check, description) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('trigger and triggerBatch reach subscribers, except the socket_id named', async () => {
  const channel = `board-${Date.now()}`;
  const client = listener();
  const excluded = listener();
  const subscription = client.subscribe(channel);
  const excludedSubscription = excluded.subscribe(channel);
  await Promise.all([subscription, excludedSubscription].map((s) => first('subscription', (done) => s.bind('pusher:subscription_succeeded', done))));
  const heardByExcluded = [];
  excludedSubscription.bind('menu.updated', (data) => heardByExcluded.push(data));

  const single = first('menu.updated', (done) => subscription.bind('menu.updated', done));
  await server().trigger(channel, 'menu.updated', { product: 7, path: 'abc/d' }, { socket_id: excluded.connection.socket_id });
  const batched = first('table.status.changed', (done) => subscription.bind('table.status.changed', done));
  await server().triggerBatch([
    { channel, name: 'table.status.changed', data: { table: 1 } },
    { channel, name: 'menu.updated', data: { product: 8 } },
  ]);

  assert.deepEqual(await single, { product: 7, path: 'abc/d' });
  assert.deepEqual(await batched, { table: 1 });
  await eventually(async () => heardByExcluded, (heard) => heard.length === 1, 'the batched menu.updated');
  assert.deepEqual(heardByExcluded, [{ product: 8 }]);
});

test('channels, channel info and presence users are answered for every replica', async () => {
  const owner = await registerRestaurant();
  const waiter = await addStaff(owner, 'waiter');
  const presence = `presence-restaurant.${owner.tenantId}`;
  const echoes = [echoFor(owner), echoFor(waiter), echoFor(waiter)];
  clients.push(...echoes.map((echo) => echo.connector.pusher));
  await Promise.all(echoes.map((echo) => first('here()', (done) => echo.join(`restaurant.${owner.tenantId}`).here(done))));

  const api = server();
  const users = await eventually(
    async () => (await (await api.get({ path: `/channels/${presence}/users` })).json()).users,
    (list) => list.length === 2,
    'two users');
  const info = await (await api.get({ path: `/channels/${presence}`, params: { info: 'user_count,subscription_count' } })).json();
  const listed = await (await api.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json();

  assert.deepEqual(users.map((user) => user.id).sort(), [String(owner.userId), String(waiter.userId)].sort());
  assert.deepEqual(info, { occupied: true, subscription_count: 3, user_count: 2 });
  assert.deepEqual(listed.channels[presence], { user_count: 2 });
});

test('a request signed with another secret is refused with 401 and delivers nothing', async () => {
  const channel = `board-${Date.now()}`;
  const client = listener();
  const subscription = client.subscribe(channel);
  await first('subscription', (done) => subscription.bind('pusher:subscription_succeeded', done));
  const heard = [];
  subscription.bind('forged', (data) => heard.push(data));

  const refused = await server('not-the-secret-at-all').trigger(channel, 'forged', { x: 1 }).then(() => null, (error) => error);
  const good = first('the genuine event', (done) => subscription.bind('genuine', done));
  await server().trigger(channel, 'genuine', { x: 2 });
  await good;

  assert.equal(refused?.status, 401);
  assert.deepEqual(heard, []);
});

test('a signed-in pusher-js client gets sendToUser events and is closed by terminateUserConnections', async () => {
  const owner = await registerRestaurant();
  const client = new Pusher(env.key, {
    wsHost: env.wsHost,
    wsPort: env.wsPort,
    forceTLS: false,
    cluster: 'mt1',
    enabledTransports: ['ws'],
    userAuthentication: {
      customHandler: ({ socketId }, callback) =>
        owner.http.post('/api/v1/broadcasting/user-auth', { socket_id: socketId }).then((response) => callback(null, response.data), (error) => callback(error, null)),
    },
  });
  clients.push(client);
  const signedIn = first('pusher:signin_success', (done) => client.bind('pusher:signin_success', done));
  client.signin();
  await signedIn;
  const delivered = first('order.assigned for the user', (done) => client.user.bind('order.assigned', done));
  await eventually(
    async () => (await (await server().get({ path: `/channels/%23server-to-user-${owner.userId}`, params: { info: 'subscription_count' } })).json()),
    (info) => info.subscription_count === 1,
    "the user's channel");

  await server().sendToUser(String(owner.userId), 'order.assigned', { order: 42 });
  const event = await delivered;
  const closed = first('the connection closed', (done) => client.connection.bind('state_change', ({ current }) => current !== 'connected' && done(current)));
  await server().terminateUserConnections(String(owner.userId));

  assert.deepEqual(event, { order: 42 });
  assert.notEqual(await closed, 'connected');
});

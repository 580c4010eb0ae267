// A POS UI's main process as Electron would write it: npm vscode-jsonrpc on the terminal's IPC socket (its path in
// ipc.json), every channel of the contract called by name with its arguments in order (byPosition, as a preload passes
// them), both notifications received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, ParameterStructures } from 'vscode-jsonrpc/node';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the integration test sets it.`);
  return value;
}

const email = required('POS_EMAIL');
const password = required('POS_PASSWORD');
const customerId = Number(required('POS_CUSTOMER_ID'));

async function until(probe, what, patience = 20_000) {
  const deadline = Date.now() + patience;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`Still not ${what} after ${patience} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('every channel of the IPC contract answers by name and both notifications arrive', async () => {
  const { path } = JSON.parse(fs.readFileSync(required('POS_IPC_FILE'), 'utf8'));
  const socket = net.connect(path);
  await once(socket, 'connect');
  const connection = createMessageConnection(new StreamMessageReader(socket), new StreamMessageWriter(socket));
  const statuses = [];
  const changes = [];
  connection.onNotification('sync:statusChanged', (status) => statuses.push(status));
  connection.onNotification('orders:changed', (changed) => changes.push(changed));
  // An open socket keeps the process alive: it is closed whether or not an assertion below failed, so a failure is
  // reported at once with its message rather than as the caller's timeout.
  try {
    await everyChannel(connection, statuses, changes);
  } finally {
    connection.dispose();
    socket.end();
  }
});

async function everyChannel(connection, statuses, changes) {
  connection.listen();
  const call = (channel, ...args) => connection.sendRequest(channel, ParameterStructures.byPosition, ...args);

  // The suite's terminals all sign in from 127.0.0.1 and together pass the api's per-address limit on requests without
  // a token: a sign-in refused for that (429) is tried again, as a cashier told to wait would.
  const login = await until(() => call('auth:login', { email, password }).catch((error) => { if (error.code === 429) return null; throw error; }), 'signed in', 90_000);
  assert.ok(login.token);
  assert.equal(login.user.email, email);
  assert.equal(await call('auth:getToken'), login.token);

  const [product] = await until(async () => { const all = await call('products:getAll'); return all.length === 1 && all; }, 'the menu pulled');
  assert.equal((await call('products:getById', product.id)).name, product.name);

  const created = await call('orders:create', { type: 'takeaway', customer_id: customerId, items: [{ product_id: product.id, quantity: 2 }] });
  assert.equal(created.id, null);
  assert.match(created.client_id, /^[0-9a-f-]{36}$/);
  assert.equal(created.status, 'pending');
  assert.equal(created.total, product.price * 2);

  assert.ok((await call('orders:getAll', { status: 'pending' })).some((order) => order.client_id === created.client_id));
  assert.ok((await call('orders:getAll', { type: 'takeaway', created_from: new Date().toISOString().slice(0, 10) })).some((order) => order.client_id === created.client_id));
  assert.equal((await call('orders:getAll', { status: 'cancelled' })).length, 0);
  assert.equal((await call('orders:getById', created.client_id)).client_id, created.client_id);

  const updated = await call('orders:update', created.client_id, { notes: 'sem cebola' });
  assert.equal(updated.notes, 'sem cebola');
  assert.ok(['idle', 'syncing', 'offline'].includes((await call('orders:sync')).state));
  assert.ok(['idle', 'syncing', 'offline'].includes((await call('sync:start')).state));

  const pushed = await until(async () => { const order = await call('orders:getById', created.client_id); return order.id && order; }, 'the order pushed');
  assert.equal(pushed.notes, 'sem cebola');
  await until(async () => (await call('sync:status')).pending === 0, 'nothing pending');
  const status = await call('sync:status');
  assert.ok(status.cursor);
  assert.ok(status.last_synced_at);
  assert.deepEqual(status.rejected, []);

  await call('orders:delete', pushed.id);
  await assert.rejects(call('orders:getById', pushed.id), (error) => error.code === 404 && typeof error.data.message === 'string');
  await assert.rejects(
    call('orders:create', { type: 'takeaway', customer_id: customerId, items: [] }),
    (error) => error.code === 422 && error.data.status === 422 && Array.isArray(error.data.errors.items));
  await assert.rejects(call('orders:getAll', { colour: 'red' }), (error) => error.code === 400 && /colour/.test(error.data.message));

  await until(async () => (await call('sync:status')).pending === 0, 'the delete pushed');
  const signedOut = await call('auth:logout');
  assert.equal(signedOut.signed_out, true);
  assert.equal(signedOut.token_revoked, true);
  assert.equal(await call('auth:getToken'), null);

  assert.ok(statuses.some((s) => s.state === 'syncing'), 'a sync:statusChanged syncing');
  assert.ok(statuses.some((s) => s.state === 'idle' && typeof s.pending === 'number'), 'a sync:statusChanged idle');
  assert.ok(changes.some((changed) => changed.client_ids.includes(created.client_id)), 'orders:changed for the new order');
  assert.ok(changes.some((changed) => changed.ids.includes(pushed.id)), 'orders:changed with its server id');
}

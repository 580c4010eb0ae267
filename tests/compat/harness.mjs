// What every compatibility script shares: the topology's addresses (from the environment the integration test
// sets), a restaurant signed up through the REST API, and Echo configured as the spec's main.js configures it.
import axios from 'axios';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';

export const env = {
  apiUrl: required('VSMENU_API_URL'),
  wsHost: required('VSMENU_WS_HOST'),
  wsPort: Number(required('VSMENU_WS_PORT')),
  wssPort: Number(required('VSMENU_WSS_PORT')),
  appId: required('PUSHER_APP_ID'),
  key: required('PUSHER_APP_KEY'),
  secret: required('PUSHER_APP_SECRET'),
};

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the integration test sets it.`);
  return value;
}

let device = 0;

/** An axios client for one device: its own client address, as separate tablets behind a load balancer. */
export function api(token) {
  device += 1;
  return axios.create({
    baseURL: env.apiUrl,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'X-Forwarded-For': `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${(device % 250) + 1}`,
    },
  });
}

/** Signs up a restaurant and returns its owner: token, tenant id, user id and an authenticated client. */
export async function registerRestaurant(name = 'Cantina Compat') {
  const email = `compat-${Date.now()}-${Math.random().toString(16).slice(2)}@example.com`;
  const { data } = await api().post('/api/v1/auth/register', { restaurant_name: name, name: 'Ana', email, password: 'compat-password' });
  const owner = { token: data.data.token, tenantId: data.data.tenant.id, userId: data.data.user.id, email };
  owner.http = api(owner.token);
  return owner;
}

/** Adds a member of staff with a role to the owner's restaurant and signs them in. */
export async function addStaff(owner, role, name = `Staff ${role}`) {
  const email = `compat-${role}-${Date.now()}-${Math.random().toString(16).slice(2)}@example.com`;
  await owner.http.post('/api/v1/users', { name, email, password: 'compat-password', role });
  const { data } = await api().post('/api/v1/auth/login', { email, password: 'compat-password' });
  const member = { token: data.data.token, tenantId: owner.tenantId, userId: data.data.user.id };
  member.http = api(member.token);
  return member;
}

/** A menu of one product and a customer, and a function that places a takeaway order through the REST API. */
export async function menuOf(owner) {
  const category = (await owner.http.post('/api/v1/categories', { name: 'Pizzas' })).data.data.id;
  const product = (await owner.http.post('/api/v1/products', { name: 'Margherita', price: 42.5, category_id: category })).data.data.id;
  const customer = (await owner.http.post('/api/v1/customers', { name: 'João' })).data.data.id;
  return {
    order: async (headers = {}) =>
      (await owner.http.post('/api/v1/orders', { type: 'takeaway', customer_id: customer, items: [{ product_id: product, quantity: 1 }] }, { headers })).data.data,
  };
}

/**
 * Echo exactly as the spec's main.js builds it (window.Pusher, the pusher broadcaster, the axios authorizer posting
 * to /api/v1/broadcasting/auth), with the host, port and key of this topology, and forceTLS on: the hub's wss
 * endpoint, with the development certificate trusted through NODE_EXTRA_CA_CERTS.
 */
export function echoFor(member) {
  globalThis.window ??= globalThis;
  window.Pusher = Pusher;
  const http = member.http;
  return new Echo({
    broadcaster: 'pusher',
    key: env.key,
    cluster: 'mt1',
    wsHost: env.wsHost,
    wsPort: env.wssPort,
    wssPort: env.wssPort,
    forceTLS: true,
    encrypted: true,
    disableStats: true,
    enabledTransports: ['ws', 'wss'],
    authorizer: (channel) => ({
      authorize: (socketId, callback) => {
        http.post('/api/v1/broadcasting/auth', { socket_id: socketId, channel_name: channel.name })
          .then((response) => callback(false, response.data))
          .catch((error) => callback(true, error));
      },
    }),
  });
}

/** Resolves with the first value <paramref name="register"/> hands to its callback, or rejects after a timeout. */
export function first(description, register, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${description}`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Resolves once the channel's subscription has succeeded. */
export const subscribed = (channel, description = 'subscription') => first(description, (done) => channel.subscribed(done));

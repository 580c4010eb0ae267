// Echo exactly as the spec's main.js builds it (window.Pusher, the pusher broadcaster, an authorizer posting to
// /api/v1/broadcasting/auth), with the host, port and key the web resource serves. onState hears
// connecting / live / reconnecting / offline.
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';

const states = { initialized: 'connecting', connecting: 'connecting', connected: 'live', unavailable: 'reconnecting', failed: 'offline', disconnected: 'offline' };

export function createEcho(config, http, onState) {
  window.Pusher = Pusher;
  const echo = new Echo({
    broadcaster: 'pusher',
    key: config.pusherKey,
    cluster: 'mt1',
    wsHost: config.wsHost,
    wsPort: config.wsPort,
    wssPort: config.wssPort,
    forceTLS: config.forceTLS,
    encrypted: config.forceTLS,
    disableStats: true,
    enabledTransports: ['ws', 'wss'],
    authorizer: (channel) => ({
      authorize: (socketId, callback) => {
        http
          .post('/api/v1/broadcasting/auth', { socket_id: socketId, channel_name: channel.name })
          .then((response) => callback(false, response.data))
          .catch((error) => callback(true, error));
      },
    }),
  });
  const connection = echo.connector.pusher.connection;
  connection.bind('state_change', ({ current }) => onState(states[current] ?? 'offline'));
  onState(states[connection.state] ?? 'connecting');
  return echo;
}

// The app's shell: settings from the web resource, the REST client, Echo for the signed-in member of staff, the
// connection banner, the platform's status banner, and the pages (#/kitchen, #/floor) behind the sign-in.
import { createApi } from './api.js';
import { loadConfig } from './config.js';
import { h } from './dom.js';
import { mountFloor } from './floor.js';
import { language, languages, setLanguage, t } from './i18n.js';
import { mountKitchen } from './kitchen.js';
import { createEcho } from './realtime.js';
import { session } from './session.js';
import { mountSignIn } from './signin.js';
import { watchSystemStatus } from './system.js';

const config = await loadConfig();
const http = createApi(config.apiUrl, { onUnauthorized: signOut });
const main = document.getElementById('main');
const banner = document.getElementById('connection');
const nav = document.getElementById('nav');
const systemBanner = document.getElementById('system-status');

let echo = null;
let stopSystemStatus = () => {};
let unmount = () => {};

setLanguage(language());

function showState(state) {
  banner.textContent = t(state);
  banner.dataset.state = state;
}

function ensureEcho() {
  if (!echo) {
    echo = createEcho(config, http, showState);
    stopSystemStatus = watchSystemStatus(echo, http, systemBanner);
  }
  return echo;
}

async function signOut() {
  // The token goes with the request itself: axios adds headers after this function has cleared the session. Revoking
  // twice is revoking once, so the logout is retried like a keyed write.
  const token = session.get()?.token;
  if (token) {
    http.post('/api/v1/auth/logout', null, { headers: { Authorization: `Bearer ${token}` }, idempotent: true }).catch(() => {});
  }
  session.clear();
  stopSystemStatus();
  echo?.disconnect();
  echo = null;
  location.hash = '#/signin';
  route();
}

function renderNav(signedIn) {
  const select = h('select', { id: 'language', onchange: (event) => { setLanguage(event.target.value); route(); } }, languages.map((value) => h('option', { value, selected: value === language() }, value)));
  nav.replaceChildren(
    ...(signedIn ? [h('a', { href: '#/kitchen' }, t('kitchen')), h('a', { href: '#/floor' }, t('floor'))] : []),
    h('label', { for: 'language' }, t('language')),
    select,
    ...(signedIn ? [h('button', { id: 'sign-out', onclick: signOut }, t('signOut'))] : []),
  );
}

function route() {
  unmount();
  const signedIn = session.get();
  renderNav(Boolean(signedIn));
  if (!signedIn) {
    banner.hidden = true;
    unmount = mountSignIn(main, { http, onSignedIn: () => { location.hash = '#/kitchen'; route(); } });
    return;
  }
  banner.hidden = false;
  const context = { http, echo: ensureEcho(), user: signedIn.user, config };
  unmount = location.hash === '#/floor' ? mountFloor(main, context) : mountKitchen(main, context);
}

window.addEventListener('hashchange', route);
route();

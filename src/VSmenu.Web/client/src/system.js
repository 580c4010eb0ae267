// The platform's banner: system.status on the public `system` channel (a maintenance notice, a dependency down), loaded
// on every (re)subscription and every 15 s besides, since with Redis down no event can reach the page at all.
import { h } from './dom.js';
import { t } from './i18n.js';

const pollMs = 15_000;

export function watchSystemStatus(echo, http, banner) {
  let checkedAt = 0;
  const show = (status) => {
    const at = Date.parse(status.checked_at);
    if (at < checkedAt) return;
    checkedAt = at;
    render(banner, status);
  };
  const load = () => http.get('/api/v1/system/status').then(({ data }) => show(data.data), () => {});
  echo.channel('system').listen('.system.status', ({ status }) => show(status)).subscribed(load);
  const polling = setInterval(load, pollMs);
  return () => {
    clearInterval(polling);
    echo.leave('system');
    banner.hidden = true;
  };
}

function render(banner, status) {
  const lines = [];
  if (status.dependencies_down.length > 0) {
    lines.push(h('span', {}, `${t('degraded')}: ${status.dependencies_down.map((name) => t(`dependency.${name}`)).join(', ')}.`));
  }
  if (status.maintenance) {
    const until = status.maintenance.until ? ` (${t('until')} ${new Date(status.maintenance.until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})` : '';
    lines.push(h('span', {}, `${t('maintenance')}: ${status.maintenance.message}${until}`));
  }
  banner.replaceChildren(...lines);
  banner.dataset.state = status.state;
  banner.hidden = lines.length === 0;
}

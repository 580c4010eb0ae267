// The settings the web resource serves at start: where the api and the hub are for this page's scheme.
export async function loadConfig() {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const settings = await response.json();
  const secure = location.protocol === 'https:';
  const apiUrl = (secure ? settings.api.https : settings.api.http) ?? settings.api.http ?? settings.api.https;
  const hubHttp = settings.hub.http ? new URL(settings.hub.http) : null;
  const hubHttps = settings.hub.https ? new URL(settings.hub.https) : null;
  const hub = secure ? hubHttps ?? hubHttp : hubHttp ?? hubHttps;
  return {
    apiUrl: apiUrl.replace(/\/$/, ''),
    pusherKey: settings.pusherKey,
    wsHost: hub.hostname,
    wsPort: Number(hubHttp?.port || 80),
    wssPort: Number(hubHttps?.port || 443),
    // The hub serves wss where the page is https (a secure page may not open ws), ws otherwise.
    forceTLS: secure && hubHttps !== null,
    alertMinutes: settings.ticketAlertMinutes ?? [5, 8],
  };
}

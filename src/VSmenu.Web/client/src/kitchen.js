// The kitchen display: a ticket per open order in columns by status, bumped on through the REST API (one
// Idempotency-Key per intended move, so a double tap moves it once), recalled within 30 s, timed by age, with the
// all-day counts and a bump bar on the keyboard. It never misses a ticket: each time its channel is (re)subscribed
// it loads the open orders and then applies the events, which the board de-duplicates by id and updated_at.
import { getAll, newIdempotencyKey } from './api.js';
import { OrderBoard, bumpTo, kitchenColumns, recallTo } from './board.js';
import { arrange, clock, h, minutesSince } from './dom.js';
import { t } from './i18n.js';

const kitchenRoles = ['kitchen', 'owner', 'manager'];
const recallWindowMs = 30_000;
const leavingMs = 4_000;
const bumpBarKeys = 9;

export function mountKitchen(root, { http, echo, user, config }) {
  if (!kitchenRoles.includes(user.role)) {
    root.replaceChildren(h('p', { class: 'refused', role: 'alert' }, t('notAllowedKitchen')));
    return () => {};
  }

  const board = new OrderBoard();
  const moveKeys = new Map();
  const struck = new Map();
  let selected = null;
  let lastBump = null;
  let disposed = false;

  // The columns and their lists stay in the page for its life: a render moves ticket elements, so a list keeps its
  // scroll position and the browser lays out only what changed.
  const columnViews = kitchenColumns.map((status) => ({ status, heading: h('h2', { id: `column-${status}` }), list: h('ol', { class: 'tickets' }) }));
  const columns = h(
    'div',
    { class: 'columns' },
    columnViews.map(({ status, heading, list }) => h('section', { class: 'column', 'aria-labelledby': `column-${status}` }, heading, list)),
  );
  const allDay = h('aside', { class: 'all-day', 'aria-labelledby': 'all-day-title' });
  const notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  root.replaceChildren(h('section', { class: 'kitchen', 'aria-label': t('kitchen') }, h('p', { class: 'help' }, t('keyboardHelp')), notice, h('div', { class: 'kitchen-body' }, columns, allDay)));

  // Each (re)subscription, after every reconnect too, loads what the socket may have missed.
  const channel = `kitchen.${user.tenant_id}`;
  echo
    .private(channel)
    .listen('.order.created', ({ order }) => kitchenColumns.includes(order.status) && fetchOrder(order.id, { fresh: true }))
    .listen('.order.status.changed', ({ order }) => applySummary(order))
    .listen('.order.cancelled', ({ order }) => applySummary(order))
    .subscribed(() => backfill().then(() => (root.dataset.synced = 'true'), () => (notice.textContent = t('actionFailed'))));

  async function backfill() {
    const loaded = (await Promise.all(kitchenColumns.map((status) => getAll(http, '/api/v1/orders', { status, include: 'items,customer,table' })))).flat();
    const ids = new Set(loaded.map((order) => order.id));
    const fresh = loaded.filter((order) => !board.get(order.id));
    loaded.forEach((order) => board.apply(order));
    // Tickets that left the kitchen while the socket was down.
    await Promise.all(board.tickets().filter((order) => !ids.has(order.id)).map((order) => fetchOrder(order.id)));
    if (fresh.length > 0 && !disposed) announce();
    render();
  }

  async function fetchOrder(id, { fresh = false } = {}) {
    const { data } = await http.get(`/api/v1/orders/${id}`);
    const isNew = !board.get(id);
    if (board.apply(data.data)) {
      if (fresh && isNew) announce(id);
      render();
    }
  }

  // An event carries the ticket whole when the change had it loaded (items, and the table of a dine-in order).
  function applySummary(summary) {
    const known = board.get(summary.id);
    const whole = summary.items && (summary.table_id == null || summary.table);
    if (!known?.items && !whole && kitchenColumns.includes(summary.status)) {
      fetchOrder(summary.id, { fresh: true });
      return;
    }
    const isNew = !board.has(summary.id);
    if (board.apply(summary)) {
      render();
      if (isNew && board.has(summary.id)) announce(summary.id);
    }
  }

  async function move(order, to, kind) {
    const intent = `${order.id}:${order.status}->${to}`;
    if (!moveKeys.has(intent)) moveKeys.set(intent, newIdempotencyKey());
    const from = order.status;
    try {
      const { data } = await http.patch(`/api/v1/orders/${order.id}`, { status: to }, { headers: { 'Idempotency-Key': moveKeys.get(intent) } });
      board.apply(data.data);
      lastBump = kind === 'bump' ? { id: order.id, from, to, at: Date.now() } : null;
      notice.textContent = '';
    } catch {
      notice.textContent = t('actionFailed');
    }
    render();
  }

  const bump = (order) => bumpTo[order.status] && move(order, bumpTo[order.status], 'bump');
  const canRecall = (order) => lastBump && lastBump.id === order.id && lastBump.to === order.status && Date.now() - lastBump.at < recallWindowMs && recallTo[order.status];
  const recall = (order) => canRecall(order) && move(order, recallTo[order.status], 'recall');

  function announce(id) {
    if (id) {
      requestAnimationFrame(() => document.querySelector(`[data-order-id="${id}"]`)?.classList.add('flash'));
    }
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch {
      // No sound before the page has been touched: the flash still shows.
    }
  }

  /** The alert a ticket's age has reached: '', 'due' or 'late' (its class). */
  function alertOf(age) {
    const [amber, red] = config.alertMinutes;
    return age >= red ? 'late' : age >= amber ? 'due' : '';
  }

  function ticket(order, index) {
    const age = minutesSince(order.created_at);
    const where = order.table ? `${t('table')} ${order.table.number}` : order.customer?.name ?? order.customer_name ?? '';
    const isStruck = struck.has(order.id);
    return h(
      'li',
      {
        class: ['ticket', alertOf(age), order.id === selected ? 'selected' : '', isStruck ? 'struck' : ''].join(' ').trim(),
        dataset: { orderId: order.id, status: order.status },
        tabindex: 0,
        'aria-label': `${t('order')} ${order.id}`,
        onclick: () => select(order.id),
      },
      h('header', {}, h('span', { class: 'number' }, index < bumpBarKeys ? h('kbd', {}, String(index + 1)) : null, `#${order.id}`), h('span', { class: 'type' }, t(order.type)), h('time', { class: 'age', dataset: { created: order.created_at } }, clock(age))),
      h('p', { class: 'where' }, where, isStruck ? ` — ${t('cancelled')}` : ''),
      h('ul', { class: 'items' }, (order.items ?? []).map((item) => h('li', {}, h('strong', {}, `${item.quantity}×`), ` ${item.product_name}`, item.notes ? h('em', {}, ` ${item.notes}`) : null))),
      isStruck
        ? null
        : h(
            'footer',
            {},
            bumpTo[order.status] ? h('button', { class: 'bump primary', onclick: (event) => { event.stopPropagation(); bump(order); } }, t('bump')) : null,
            canRecall(order) ? h('button', { class: 'recall', onclick: (event) => { event.stopPropagation(); recall(order); } }, t('recall')) : null,
          ),
    );
  }

  // A ticket's element is rebuilt only when what it shows changed: an event re-renders one ticket, not the board. Only
  // the first nine show their place (the keys that select them), so a ticket added near the top renumbers nine at most.
  const drawn = new Map();
  function ticketOf(order, index) {
    const shows = JSON.stringify([order.updated_at, order.status, Math.min(index, bumpBarKeys), order.id === selected, struck.has(order.id), Boolean(canRecall(order)), order.items?.length, order.table?.number]);
    const cached = drawn.get(order.id);
    if (cached?.shows === shows) return cached.element;
    const element = ticket(order, index);
    drawn.set(order.id, { shows, element });
    return element;
  }

  function render() {
    if (disposed) return;
    for (const order of board.takeLeaving()) {
      if (order.status !== 'cancelled' || struck.has(order.id)) continue;
      struck.set(order.id, order);
      setTimeout(() => { struck.delete(order.id); render(); }, leavingMs);
    }
    const tickets = board.tickets();
    let index = 0;
    for (const { status, heading, list } of columnViews) {
      const open = board.column(status);
      const cancelledHere = [...struck.values()].filter((order) => (order.previous_status ?? 'confirmed') === status);
      heading.textContent = `${t(status)} (${open.length})`;
      arrange(list, [...open.map((order) => ticketOf(order, index++)), ...cancelledHere.map((order) => ticketOf(order, bumpBarKeys))]);
    }
    const counts = board.allDay();
    allDay.replaceChildren(
      h('h2', { id: 'all-day-title' }, t('allDay')),
      counts.length === 0 ? h('p', {}, t('nothingToCook')) : h('ul', {}, counts.map(([name, quantity]) => h('li', { dataset: { item: name } }, h('strong', {}, String(quantity)), ` ${name}`))),
    );
    if (selected && !tickets.some((order) => order.id === selected)) selected = null;
    for (const id of drawn.keys()) if (!board.has(id) && !struck.has(id)) drawn.delete(id);
  }

  function select(id) {
    selected = id;
    render();
    document.querySelector(`[data-order-id="${id}"]`)?.focus();
  }

  function onKey(event) {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    const tickets = board.tickets();
    const at = tickets.findIndex((order) => order.id === selected);
    const current = tickets[at];
    if (/^[1-9]$/.test(event.key) && tickets[Number(event.key) - 1]) select(tickets[Number(event.key) - 1].id);
    else if (['ArrowRight', 'ArrowDown'].includes(event.key) && tickets.length) select(tickets[(at + 1) % tickets.length].id);
    else if (['ArrowLeft', 'ArrowUp'].includes(event.key) && tickets.length) select(tickets[(at - 1 + tickets.length) % tickets.length].id);
    else if (event.key === 'Enter' && current) bump(current);
    else if (event.key === 'Backspace' && (current ?? board.get(lastBump?.id))) recall(current ?? board.get(lastBump.id));
    else return;
    event.preventDefault();
  }

  // Each second only the tickets in view, or within a screen of it, show their age of now; one scrolled in from further
  // away catches up at the next tick. Writing all 200 ages of a full board cost 15-20 ms in one frame each second (a
  // dropped frame in a scroll), and tracking visibility per ticket (IntersectionObserver) made every scrolled frame lay
  // the page out (bench/kds.sh, traced).
  function showAges() {
    // Every position is read before any age is written: a read after a write would lay the page out again each time.
    const near = columnViews.flatMap(({ list }) => {
      const from = list.scrollTop - list.clientHeight;
      const to = list.scrollTop + 2 * list.clientHeight;
      return [...list.children].filter((card) => card.offsetTop <= to && card.offsetTop + card.offsetHeight >= from);
    });
    for (const card of near) {
      const time = card.querySelector('time.age');
      const age = minutesSince(time.dataset.created);
      const shown = clock(age);
      if (time.textContent !== shown) time.textContent = shown;
      const alert = alertOf(age);
      card.classList.toggle('due', alert === 'due');
      card.classList.toggle('late', alert === 'late');
    }
  }
  const ticking = setInterval(showAges, 1000);
  document.addEventListener('keydown', onKey);
  render();

  return () => {
    disposed = true;
    clearInterval(ticking);
    delete root.dataset.synced;
    document.removeEventListener('keydown', onKey);
    echo.leave(channel);
  };
}

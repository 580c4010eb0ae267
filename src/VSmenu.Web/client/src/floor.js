// The floor board: the restaurant's tables and their status live (a table follows its dine-in orders on the server; a
// table added, changed or removed shows at once), and the orders ready to serve. Like the kitchen display it reloads
// on every (re)subscription, then applies events.
import { getAll } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function mountFloor(root, { http, echo, user }) {
  const tables = new Map();
  const ready = new Map();
  let disposed = false;

  const tableList = h('ul', { class: 'tables', 'aria-labelledby': 'tables-title' });
  const readyList = h('ul', { class: 'ready-orders', 'aria-labelledby': 'ready-title' });
  root.replaceChildren(
    h(
      'section',
      { class: 'floor', 'aria-label': t('floor') },
      h('div', { class: 'floor-tables' }, h('h2', { id: 'tables-title' }, t('tables')), tableList),
      h('aside', { class: 'floor-ready' }, h('h2', { id: 'ready-title' }, t('readyToServe')), readyList),
    ),
  );

  const newer = (known, next) => !known || Date.parse(next.updated_at) >= Date.parse(known.updated_at);

  // Each (re)subscription of either channel reloads the board, which is then in step once both are subscribed.
  const subscribed = new Set();
  const resync = (channel) => () =>
    backfill().then(() => {
      subscribed.add(channel);
      if (subscribed.size === 2) root.dataset.synced = 'true';
    });
  const tableChanged = ({ table }) => {
    if (newer(tables.get(table.id), table)) {
      tables.set(table.id, { ...tables.get(table.id), ...table });
      render();
    }
  };
  echo
    .private(`tables.${user.tenant_id}`)
    .listen('.table.status.changed', tableChanged)
    .listen('.table.created', tableChanged)
    .listen('.table.updated', tableChanged)
    .listen('.table.deleted', ({ table }) => tables.delete(table.id) && render())
    .subscribed(resync('tables'));
  echo
    .private(`orders.${user.tenant_id}`)
    .listen('.order.status.changed', ({ order }) => readyChanged(order))
    .listen('.order.cancelled', ({ order }) => readyChanged(order))
    .subscribed(resync('orders'));

  async function readyChanged(order) {
    if (order.status === 'ready') {
      const { data } = await http.get(`/api/v1/orders/${order.id}`);
      ready.set(order.id, data.data);
    } else {
      ready.delete(order.id);
    }
    render();
  }

  async function backfill() {
    const [allTables, readyOrders] = await Promise.all([
      getAll(http, '/api/v1/tables', { sort: 'number' }),
      getAll(http, '/api/v1/orders', { status: 'ready', include: 'table,customer', sort: 'updated_at' }),
    ]);
    allTables.forEach((table) => newer(tables.get(table.id), table) && tables.set(table.id, table));
    ready.clear();
    readyOrders.forEach((order) => ready.set(order.id, order));
    render();
  }

  function render() {
    if (disposed) return;
    tableList.replaceChildren(
      ...[...tables.values()]
        .sort((a, b) => a.number - b.number)
        .map((table) =>
          h(
            'li',
            { class: `table ${table.status}`, dataset: { tableId: table.id, status: table.status }, 'aria-label': `${t('table')} ${table.number}: ${t(table.status)}` },
            h('strong', {}, String(table.number)),
            h('span', { class: 'status' }, t(table.status)),
            h('span', { class: 'seats' }, `${table.seats} ${t('seats')}`),
          ),
        ),
    );
    const orders = [...ready.values()];
    readyList.replaceChildren(
      ...(orders.length === 0
        ? [h('li', { class: 'empty' }, t('nothingReady'))]
        : orders.map((order) =>
            h('li', { dataset: { orderId: order.id } }, h('strong', {}, `#${order.id}`), ` ${order.table ? `${t('table')} ${order.table.number}` : order.customer?.name ?? t(order.type)}`),
          )),
    );
  }

  render();
  return () => {
    disposed = true;
    delete root.dataset.synced;
    echo.leave(`tables.${user.tenant_id}`);
    echo.leave(`orders.${user.tenant_id}`);
  };
}

// What the kitchen display knows of the open orders, whatever order the REST loads and the events arrive in: each
// order once (by id), the newest version winning (by updated_at), so a backfill after a reconnect and the events
// that raced it converge on the same board.
export const kitchenColumns = ['confirmed', 'preparing', 'ready'];

/** The status a bump moves a ticket to, and back for a recall (the kitchen's steps of the order workflow). */
export const bumpTo = { confirmed: 'preparing', preparing: 'ready' };
export const recallTo = { preparing: 'confirmed', ready: 'preparing' };

export class OrderBoard {
  #orders = new Map();
  #leaving = new Map();

  /** Takes an order (a full resource, or an event's summary merged into what is known); returns whether it changed the board. */
  apply(order) {
    const known = this.#orders.get(order.id) ?? this.#leaving.get(order.id);
    if (known && Date.parse(known.updated_at) > Date.parse(order.updated_at)) return false;
    // An event's summary may lack what a full order has (items, the table, the customer): keep what is known.
    const merged = { ...known, ...order, items: order.items ?? known?.items, table: order.table ?? known?.table };
    if (kitchenColumns.includes(merged.status)) {
      this.#leaving.delete(order.id);
      this.#orders.set(order.id, merged);
    } else {
      this.#orders.delete(order.id);
      this.#leaving.set(order.id, merged);
    }
    return true;
  }

  has(id) {
    return this.#orders.has(id);
  }

  get(id) {
    return this.#orders.get(id) ?? this.#leaving.get(id);
  }

  /** Tickets of a column, oldest first: the first in is the first cooked. */
  column(status) {
    return [...this.#orders.values()].filter((order) => order.status === status).sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  }

  /** Every ticket in board order (column by column), for keyboard selection. */
  tickets() {
    return kitchenColumns.flatMap((status) => this.column(status));
  }

  /** The open quantity of each item still to cook (confirmed and preparing), largest first. */
  allDay() {
    const counts = new Map();
    for (const order of this.#orders.values()) {
      if (order.status === 'ready') continue;
      for (const item of order.items ?? []) counts.set(item.product_name, (counts.get(item.product_name) ?? 0) + item.quantity);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  /** Orders that left the board (served, cancelled, ...) since the last call, to strike through then remove. */
  takeLeaving() {
    const leaving = [...this.#leaving.values()];
    this.#leaving.clear();
    return leaving;
  }
}

// The signed-in member of staff, kept for this tab only (sessionStorage): closing the tab signs the kitchen out.
const key = 'vsmenu.session';

export const session = {
  get() {
    const saved = sessionStorage.getItem(key);
    return saved ? JSON.parse(saved) : null;
  },
  set(token, user) {
    sessionStorage.setItem(key, JSON.stringify({ token, user }));
  },
  clear() {
    sessionStorage.removeItem(key);
  },
};

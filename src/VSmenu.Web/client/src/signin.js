import { h } from './dom.js';
import { t } from './i18n.js';
import { session } from './session.js';

/** The API's login; the token is kept for this tab. */
export function mountSignIn(root, { http, onSignedIn }) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h(
    'form',
    {
      class: 'signin',
      'aria-labelledby': 'signin-title',
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        error.textContent = '';
        try {
          const { data } = await http.post('/api/v1/auth/login', { email: email.value, password: password.value });
          session.set(data.data.token, data.data.user);
          onSignedIn();
        } catch (failure) {
          error.textContent = [401, 422].includes(failure.response?.status) ? t('signInFailed') : t('signInUnavailable');
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', { id: 'signin-title' }, t('signIn')),
    h('label', { for: 'email' }, t('email')),
    email,
    h('label', { for: 'password' }, t('password')),
    password,
    error,
    submit,
  );
  root.replaceChildren(form);
  email.focus();
  return () => {};
}

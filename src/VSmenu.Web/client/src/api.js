// The REST client: axios with the spec's axios-retry setup (network errors, 429 honouring Retry-After, 5xx; three
// times, exponential delays). A write is retried only when it carries an Idempotency-Key, so a retry never doubles it,
// or when doing it twice is doing it once (`idempotent: true` in its config: the sign-out's revoke).
import axios from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import { session } from './session.js';

export function createApi(apiUrl, { onUnauthorized } = {}) {
  const http = axios.create({ baseURL: apiUrl, timeout: 10000, headers: { Accept: 'application/json' } });
  http.interceptors.request.use((request) => {
    const token = session.get()?.token;
    if (token) request.headers.Authorization = `Bearer ${token}`;
    return request;
  });
  axiosRetry(http, {
    retries: 3,
    retryCondition: (error) => {
      const status = error.response?.status;
      const retryable = isNetworkError(error) || error.code === 'ECONNABORTED' || status === 429 || (status >= 500 && status <= 599);
      const method = (error.config?.method ?? 'get').toLowerCase();
      const safe = ['get', 'head', 'options'].includes(method) || Boolean(error.config?.headers?.['Idempotency-Key']) || error.config?.idempotent === true;
      return retryable && safe;
    },
    // 400, 800, 1600 ms (plus up to a fifth), or the answer's Retry-After when that is longer: exponentialDelay reads it.
    retryDelay: (retryCount, error) => exponentialDelay(retryCount, error, 200),
  });
  http.interceptors.response.use(undefined, (error) => {
    if (error.response?.status === 401 && onUnauthorized) onUnauthorized();
    return Promise.reject(error);
  });
  return http;
}

/** A key that names one intended change, kept by the caller across its retries and double taps. */
export function newIdempotencyKey() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}-${Math.random().toString(16).slice(2)}`;
}

/** Every page of a list (the api's pages are at most 100). */
export async function getAll(http, path, params) {
  const all = [];
  for (let page = 1; ; page += 1) {
    const { data } = await http.get(path, { params: { ...params, page, per_page: 100 } });
    all.push(...data.data);
    if (page >= (data.meta?.last_page ?? 1)) return all;
  }
}

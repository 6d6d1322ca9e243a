// Per-test-file server lifecycle for node:test, plus SDK helpers.
import { before, after } from 'node:test';
import PocketBase from 'pocketbase';
import { startServer } from '../server.mjs';

/**
 * Starts one server for the calling test file (in `before`) and stops it (in `after`).
 * The returned object is filled in once `before` has run: { server, url, pb (superuser), guest() }.
 * `setup(ctx)` runs right after the server is up: put per-file fixtures there rather than in a second
 * top-level `before` (node 20 runs several top-level `before` hooks concurrently).
 */
export function useServer(setup = async () => {}) {
  const ctx = {
    server: null,
    url: '',
    /** @type {PocketBase} */ pb: null,
    /** A new SDK client without auth. */
    guest(base = ctx.url) {
      const client = new PocketBase(base);
      client.autoCancellation(false);
      return client;
    },
  };
  before(async () => {
    ctx.server = await startServer();
    ctx.url = ctx.server.url;
    ctx.pb = ctx.guest();
    await ctx.pb.collection('_superusers').authWithPassword(ctx.server.email, ctx.server.password);
    await setup(ctx);
  });
  after(async () => {
    await ctx.server?.stop();
  });
  return ctx;
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Awaits a promise that must reject with a ClientResponseError; returns the error. */
export async function rejects(promise) {
  try {
    await promise;
  } catch (err) {
    if (typeof err?.status !== 'number') throw err;
    return err;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

export const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const RECORD_ID = /^[a-z0-9]{15}$/;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A plain HTTP call (for what the SDK hides: status codes, headers, raw bodies). The body is always read,
 * so no connection is left half-consumed. Returns { status, headers, text, json }.
 */
export async function raw(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

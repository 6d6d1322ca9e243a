'use strict'
// Minimal JSON client for the PocketBase-style API (Node's fetch, keep-alive); `extra` headers go on every request
// (bench/parse/setup.js: Parse's application id and master key).
module.exports = function client (baseUrl, token, extra = {}) {
  return async function api (method, path, body) {
    const headers = { accept: 'application/json', ...extra }
    if (token) headers.authorization = token
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    let json = null
    try { json = text ? JSON.parse(text) : null } catch { json = null }
    return { status: res.status, json, text }
  }
}

// An answer in a line of an error message, and a check that throws one unless the status is among `ok`.
const excerpt = r => `HTTP ${r.status} ${String(r.text).slice(0, 400)}`
function must (r, what, ok = [200]) {
  if (!ok.includes(r.status)) throw new Error(`${what} failed: ${excerpt(r)}`)
  return r
}
module.exports.excerpt = excerpt
module.exports.must = must

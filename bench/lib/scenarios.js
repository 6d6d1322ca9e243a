'use strict'
// The measured requests. Each entry returns autocannon options for a base URL and the setup state.
// The default suite sends every request as a guest (the `posts` rules are ""); the auth suite
// sends the signed-in user's token.
const { mulberry32, STATUSES } = require('./data')
const { multipart } = require('./files-data')

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' }

// autocannon takes the path from `url` or from `requests`, not from a top-level `path`.
const get = (path, headers = {}) => ({ requests: [{ method: 'GET', path, headers: { accept: 'application/json', ...headers } }] })

// The records API the default scenarios speak: PocketBase's, unless the setup state names another one in `api`
// (bench/parse/setup.js: Parse's REST API, `{ records: '/parse/classes/posts', updateMethod: 'PUT', headers }`).
const recordsApi = state => ({
  records: '/api/collections/posts/records',
  updateMethod: 'PATCH',
  headers: {},
  ...(state.api || {})
})
const authGet = (path, token) => ({ requests: [{ method: 'GET', path, headers: { accept: 'application/json', authorization: token } }] })

const scenarios = {
  // GraphQL suite: the `list` page as a GraphQL query (same filter, sort, page and fields), and with the author relation
  // (REST: the same page with expand=author).
  'gql-list': state => ({ requests: [{ method: 'POST', path: '/api/graphql', headers: JSON_HEADERS, body: state.gqlList }] }),
  'gql-list-author': state => ({ requests: [{ method: 'POST', path: '/api/graphql', headers: JSON_HEADERS, body: state.gqlListAuthor }] }),
  'list-expand': state => get(state.listExpandPath),

  // The cheapest request: GET /api/health (the metrics benchmark's scenario).
  health: () => get('/api/health'),

  // (1) GET one record by id: routing, rule check, one indexed read, JSON writing.
  view: state => get(`${recordsApi(state).records}/${state.viewId}`, recordsApi(state).headers),

  // (2) First page of a filtered, sorted list with the COUNT query.
  list: state => get(state.listPath, recordsApi(state).headers),

  // (3) The same page without the COUNT query.
  'list-skiptotal': state => get(state.listSkipPath, recordsApi(state).headers),

  // (3b) The same page with estimateTotal=1 (exact up to 1,000 matches, estimated above).
  'list-estimate': state => get(state.listEstimatePath),

  // (4) Create: a JSON body with a generated title; every request inserts one row.
  create: state => {
    const rnd = mulberry32(7)
    const api = recordsApi(state)
    let n = 0
    return {
      requests: [{
        setupRequest: req => {
          n++
          req.method = 'POST'
          req.path = api.records
          req.headers = { ...JSON_HEADERS, ...api.headers }
          req.body = JSON.stringify({
            title: `bench create ${n}`,
            views: Math.floor(rnd() * 1000),
            status: STATUSES[n % 3]
          })
          return req
        }
      }]
    }
  },

  // (5) Update: PATCH a random record among the seeded ids.
  update: state => {
    const rnd = mulberry32(11)
    const ids = state.ids
    const api = recordsApi(state)
    let n = 0
    return {
      requests: [{
        setupRequest: req => {
          n++
          req.method = api.updateMethod
          req.path = `${api.records}/${ids[Math.floor(rnd() * ids.length)]}`
          req.headers = { ...JSON_HEADERS, ...api.headers }
          req.body = JSON.stringify({ views: Math.floor(rnd() * 1000), title: `bench update ${n}` })
          return req
        }
      }]
    }
  },

  // (6) The floor: a bare ASP.NET Core minimal API reading the same row from the same database.
  baseline: state => get(`/records/${state.viewId}`),

  // --- the files suite (run.sh --suite files; state from setup-files.js) ---

  // (f1) download a 100 KB file (record lookup, file field check, stat, 100 KB body).
  'file-download': state => ({ requests: [{ method: 'GET', path: state.downloadPath }] }),

  // (f2) a 100x100 thumbnail already in the storage.
  'file-thumb': state => ({ requests: [{ method: 'GET', path: state.thumbPath }] }),

  // (f3) create a record with one 1 MB file (multipart): sniffing, a temp file, the storage write.
  'file-upload': () => {
    const rnd = mulberry32(3)
    const data = Buffer.alloc(1024 * 1024)
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256)
    const { body, contentType } = multipart([['f', 'one-megabyte.bin', data]])
    return { requests: [{ method: 'POST', path: '/api/collections/media/records', headers: { 'content-type': contentType, accept: 'application/json' }, body }] }
  },

  // --- the auth suite (run.sh --suite auth; state from setup-auth.js), signed in as one user ---

  // (a1) auth-refresh with the user's token: token check, record load, authRule, a new JWT.
  'auth-refresh': state => ({
    requests: [{
      method: 'POST',
      path: '/api/collections/users/auth-refresh',
      headers: { accept: 'application/json', authorization: state.token }
    }]
  }),

  // (a2) 20 of the user's notes under listRule `owner = @request.auth.id` (index on owner), with the count.
  'notes-list': state => authGet(state.listPath, state.token),

  // (a3) the same without the count.
  'notes-list-skiptotal': state => authGet(state.listSkipPath, state.token),

  // (a4) auth-with-password (bcrypt cost 10) cycling over a few users.
  'auth-password': state => {
    let n = 0
    const users = state.passwordUsers
    return {
      requests: [{
        setupRequest: req => {
          req.method = 'POST'
          req.path = '/api/collections/users/auth-with-password'
          req.headers = JSON_HEADERS
          req.body = JSON.stringify({ identity: users[n++ % users.length], password: state.password })
          return req
        }
      }]
    }
  }
}

module.exports = scenarios

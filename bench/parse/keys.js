'use strict'
// The local bench's application id and master key (fixed values, not secrets: the server listens on 127.0.0.1 and
// Parse accepts the master key only from loopback addresses by default).
module.exports = { APP_ID: 'papergao-bench', MASTER_KEY: 'papergao-bench-master-key' }

'use strict'
// Prints a TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
const net = require('net')
const srv = net.createServer()
srv.listen(0, '127.0.0.1', () => {
  const { port } = srv.address()
  srv.close(() => console.log(port))
})

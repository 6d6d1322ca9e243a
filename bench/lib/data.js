'use strict'
// Deterministic record generator: the same seed gives the same 10,000 records on every run.
function mulberry32 (seed) {
  let a = seed >>> 0
  return function () {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const STATUSES = ['a', 'b', 'c']
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel']

function generate (count, seed) {
  const rnd = mulberry32(seed)
  const out = []
  for (let i = 0; i < count; i++) {
    out.push({
      title: `post ${String(i).padStart(5, '0')} ${WORDS[Math.floor(rnd() * WORDS.length)]}`,
      views: Math.floor(rnd() * 1000),
      status: STATUSES[Math.floor(rnd() * STATUSES.length)]
    })
  }
  return out
}

module.exports = { mulberry32, generate, STATUSES }

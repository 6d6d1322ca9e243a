'use strict'
// CPU accounting from /proc for the bench scripts (lib/load.js, lib/realtime-fanout.js).
const fs = require('fs')

/** utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat), or null. */
function cpuTicks (pid) {
  if (!pid) return null
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch { return null }
}

/** Busy and idle ticks of one core (/proc/stat), or null without a core. */
// CPU ticks of a process and its direct children (a PostgreSQL postmaster and its backends, WAL writer, ...).
function treeTicks (ppid) {
  if (!ppid) return null
  let sum = 0
  for (const d of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (d === String(ppid) || fields[1] === String(ppid)) sum += Number(fields[11]) + Number(fields[12])
    } catch { /* the process ended between the listing and the read */ }
  }
  return sum
}

function coreTicks (cpu) {
  if (cpu === undefined) return null
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find(l => l.startsWith(`cpu${cpu} `))
  if (!line) return null
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal
  return { busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7], idle: v[3] + v[4] }
}

/** Share (%) of the server's core that other processes used over `seconds`, given the server's own CPU seconds. */
function otherCpuPct (core0, core1, serverCpuSec, seconds, tck) {
  if (core0 === null || core1 === null || serverCpuSec === null) return null
  return Math.max(0, Math.round((((core1.busy - core0.busy) / tck - serverCpuSec) / seconds) * 1000) / 10)
}

/** The p-th percentile (0-100) of an ascending array, or null when empty. */
function percentile (sorted, p) {
  if (sorted.length === 0) return null
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]
}

module.exports = { cpuTicks, treeTicks, coreTicks, otherCpuPct, percentile }

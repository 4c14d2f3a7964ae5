/** What the machine was doing: load averages, and CPU use split between the platform, the load generator and the rest. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly loadavg: readonly number[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

interface ProcStat {
  busy: number;
  total: number;
}

/** Whole-machine CPU jiffies from /proc/stat (Linux); undefined elsewhere. */
function procStat(): ProcStat | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CpuSplit {
  /** Cores' worth of CPU (1.0 = one core fully busy) over the interval. */
  readonly machine?: number;
  readonly platform?: number;
  readonly loadGenerator: number;
  /** The PostgreSQL backends serving the benchmark's database (not PGlite, which runs inside the platform). */
  readonly postgres?: number;
  /** machine − the above: whatever else runs on the machine (other users, autovacuum, the checkpointer…). */
  readonly rest?: number;
  readonly loadavg1: number;
}

export interface CpuMeter {
  stop(platformCpuMicros?: number, postgresCpuMicros?: number): CpuSplit;
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ on every mainstream build

/** CPU time (µs) a process has used, from /proc/PID/stat; 0 when it is gone or not on Linux. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Starts measuring; `stop` takes the CPU microseconds the platform (and PostgreSQL) used over the same interval. */
export function startCpuMeter(): CpuMeter {
  const stat = procStat();
  const own = process.cpuUsage();
  const started = process.hrtime.bigint();
  const cores = cpus().length;
  return {
    stop(platformCpuMicros, postgresCpuMicros) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const after = procStat();
      const ownUsed = process.cpuUsage(own);
      const loadGenerator = (ownUsed.user + ownUsed.system) / 1e6 / seconds;
      const machine = stat && after ? ((after.busy - stat.busy) / Math.max(after.total - stat.total, 1)) * cores : undefined;
      const platform = platformCpuMicros === undefined ? undefined : platformCpuMicros / 1e6 / seconds;
      const postgres = postgresCpuMicros === undefined ? undefined : postgresCpuMicros / 1e6 / seconds;
      const round = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 100) / 100);
      return {
        machine: round(machine),
        platform: round(platform),
        loadGenerator: round(loadGenerator)!,
        ...(postgres !== undefined ? { postgres: round(postgres) } : {}),
        rest: machine !== undefined && platform !== undefined ? round(Math.max(machine - platform - loadGenerator - (postgres ?? 0), 0)) : undefined,
        loadavg1: Math.round(loadavg()[0]! * 100) / 100,
      };
    },
  };
}

// Describes the machine and tool versions a benchmark ran on, for the report's header.

export interface Machine {
  cpu: string;
  cores: number;
  os: string;
  loadavg: number[];
  deno: string;
  redisServer: string;
  redisBenchmark: string;
}

function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    return info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function toolVersion(cmd: string, pattern: RegExp): string {
  try {
    const out = new Deno.Command(cmd, { args: ["--version"], stdout: "piped", stderr: "null" })
      .outputSync();
    const text = new TextDecoder().decode(out.stdout);
    return text.match(pattern)?.[1] ?? text.trim();
  } catch {
    return "not installed";
  }
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.target} ${Deno.osRelease()}`,
    loadavg: Deno.loadavg(),
    deno: Deno.version.deno,
    redisServer: toolVersion("redis-server", /v=(\S+)/),
    redisBenchmark: toolVersion("redis-benchmark", /redis-benchmark (\S+)/),
  };
}

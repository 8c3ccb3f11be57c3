/**
 * Timing of a step's phases, for scripts/bench.ts (tests never measure time): `run` calls mark(name)
 * after each phase; the result is the mean CPU microseconds of this thread per phase over the
 * repeats (CPU time, so that other work on a shared machine does not count; a phase marked "" is
 * setup, not counted).
 */
export function profile(
  repeats: number,
  run: (mark: (phase: string) => void) => void,
): Record<string, number> {
  const totals = new Map<string, number>();
  for (let r = 0; r < repeats; r++) {
    let last = process.cpuUsage();
    run((phase) => {
      const now = process.cpuUsage();
      const us = now.user + now.system - last.user - last.system;
      if (phase !== "") totals.set(phase, (totals.get(phase) ?? 0) + us);
      last = now;
    });
  }
  return Object.fromEntries([...totals].map(([k, v]) => [k, v / repeats]));
}

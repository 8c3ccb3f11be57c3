/**
 * Timing of a step's phases, for scripts/bench.ts (tests never measure time): `run` calls mark(name)
 * after each phase; the result is each phase's median wall-clock microseconds over the repeats (the
 * median, so that another process taking the core now and then does not count; a phase marked ""
 * is setup, not counted).
 */
export function profile(
  repeats: number,
  run: (mark: (phase: string) => void) => void,
): Record<string, number> {
  const times = new Map<string, number[]>();
  for (let r = 0; r < repeats; r++) {
    // A phase may be marked several times in one step (the rows path's chunks): sum them.
    const step = new Map<string, number>();
    let last = process.hrtime.bigint();
    run((phase) => {
      const now = process.hrtime.bigint();
      if (phase !== "") step.set(phase, (step.get(phase) ?? 0) + Number(now - last) / 1e3);
      last = now;
    });
    for (const [phase, us] of step) times.set(phase, [...(times.get(phase) ?? []), us]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries([...times].map(([k, v]) => [k, median(v)]));
}

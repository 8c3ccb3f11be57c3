/** A rate with its exact interval: valid runs of a batch size, accurate networks of a setting. */
import { clopperPearson } from "../stats/tests";

export interface Rate {
  successes: number;
  trials: number;
  estimate: number;
  /** 95% Clopper–Pearson interval. */
  lo: number;
  hi: number;
}

export function rate(successes: number, trials: number): Rate {
  if (trials === 0) return { successes, trials, estimate: Number.NaN, lo: 0, hi: 1 };
  const ci = clopperPearson(successes, trials, 0.95);
  return { successes, trials, estimate: successes / trials, lo: ci.lo, hi: ci.hi };
}

/**
 * In-process timing of several implementations of the same work, in
 * interleaved rounds (A B C A B C ...) after warm-up calls, so that machine
 * noise and JIT state affect each alike. Each sample times `batch` calls;
 * the heap is collected before each sample when `--expose-gc` is on, so one
 * tool's garbage is not collected during another's sample.
 */
import { summarize, Summary } from './stats';

export interface Contender { readonly name: string; readonly run: () => unknown }

export function interleave(contenders: Contender[], options: { rounds: number; warmup: number; batch: number }): Map<string, Summary> {
  const gc = (globalThis as any).gc as (() => void) | undefined;
  for (const c of contenders) for (let i = 0; i < options.warmup; i++) c.run();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const c of contenders) {
      gc?.();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < options.batch; i++) c.run();
      samples.get(c.name)!.push(Number(process.hrtime.bigint() - t0) / 1e6 / options.batch);
    }
  }
  return new Map([...samples].map(([name, xs]) => [name, summarize(xs)]));
}

/** Time of the first call in this process (modules already loaded): what a one-shot CLI run pays. */
export function firstCall(run: () => unknown): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

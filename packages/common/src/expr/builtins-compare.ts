import { ALL_DATA_TYPES, type DataType } from '../types/data-type.ts';
import type { Datum } from '../types/datum.ts';
import { compareDatum } from '../types/compare.ts';
import { lenient, register, strict } from './function-registry.ts';

/** Comparisons, boolean logic, NULL tests, coalesce/nullif/greatest/least/in (registered per type). */

type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

function comparator(op: CmpOp, t: DataType): (a: Datum[]) => Datum {
  switch (op) {
    case '=': return (a) => compareDatum(t, a[0], a[1]) === 0;
    case '<>': return (a) => compareDatum(t, a[0], a[1]) !== 0;
    case '<': return (a) => compareDatum(t, a[0], a[1]) < 0;
    case '<=': return (a) => compareDatum(t, a[0], a[1]) <= 0;
    case '>': return (a) => compareDatum(t, a[0], a[1]) > 0;
    case '>=': return (a) => compareDatum(t, a[0], a[1]) >= 0;
  }
}

export function registerComparisons(): void {
  const f8: DataType = 'double precision';
  for (const op of ['=', '<>', '<', '<=', '>', '>='] as const) {
    for (const t of ALL_DATA_TYPES) register(op, { args: [t, t], ret: 'boolean', impl: strict(comparator(op, t)) });
    const cmp8 = strict(comparator(op, f8));
    register(op, { args: ['real', f8], castTo: [f8, f8], ret: 'boolean', impl: cmp8 });
    register(op, { args: [f8, 'real'], castTo: [f8, f8], ret: 'boolean', impl: cmp8 });
  }
  for (const t of ALL_DATA_TYPES) {
    register('is_distinct_from', { args: [t, t], ret: 'boolean', impl: lenient((a) =>
      a[0] === null || a[1] === null ? a[0] !== a[1] : compareDatum(t, a[0], a[1]) !== 0) });
    register('is_not_distinct_from', { args: [t, t], ret: 'boolean', impl: lenient((a) =>
      a[0] === null || a[1] === null ? a[0] === a[1] : compareDatum(t, a[0], a[1]) === 0) });
    register('is_null', { args: [t], ret: 'boolean', impl: lenient((a) => a[0] === null) });
    register('is_not_null', { args: [t], ret: 'boolean', impl: lenient((a) => a[0] !== null) });
    register('coalesce', { args: [t], variadic: true, ret: t, impl: lenient((a) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== null) return a[i];
      return null;
    }) });
    register('nullif', { args: [t, t], ret: t, impl: lenient((a) =>
      a[0] !== null && a[1] !== null && compareDatum(t, a[0], a[1]) === 0 ? null : a[0]) });
    register('greatest', { args: [t], variadic: true, ret: t, impl: lenient((a) => extreme(t, a, 1)) });
    register('least', { args: [t], variadic: true, ret: t, impl: lenient((a) => extreme(t, a, -1)) });
    // in(x, v1, v2, ...): three-valued like x = v1 OR x = v2 ...
    register('in', { args: [t], variadic: true, ret: 'boolean', impl: lenient((a) => {
      if (a[0] === null) return null;
      let sawNull = false;
      for (let i = 1; i < a.length; i++) {
        if (a[i] === null) sawNull = true;
        else if (compareDatum(t, a[0], a[i]) === 0) return true;
      }
      return sawNull ? null : false;
    }) });
  }
  const b: DataType = 'boolean';
  register('and', { args: [b], variadic: true, ret: b, impl: lenient((a) => {
    let sawNull = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === false) return false;
      if (a[i] === null) sawNull = true;
    }
    return sawNull ? null : true;
  }) });
  register('or', { args: [b], variadic: true, ret: b, impl: lenient((a) => {
    let sawNull = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === true) return true;
      if (a[i] === null) sawNull = true;
    }
    return sawNull ? null : false;
  }) });
  register('not', { args: [b], ret: b, impl: strict((a) => !a[0]) });
  register('is_true', { args: [b], ret: b, impl: lenient((a) => a[0] === true) });
  register('is_not_true', { args: [b], ret: b, impl: lenient((a) => a[0] !== true) });
  register('is_false', { args: [b], ret: b, impl: lenient((a) => a[0] === false) });
  register('is_not_false', { args: [b], ret: b, impl: lenient((a) => a[0] !== false) });
  register('is_unknown', { args: [b], ret: b, impl: lenient((a) => a[0] === null) });
  register('is_not_unknown', { args: [b], ret: b, impl: lenient((a) => a[0] !== null) });
}

/** greatest/least: NULLs ignored, NULL only when all are NULL. */
function extreme(t: DataType, a: Datum[], sign: number): Datum {
  let best: Datum = null;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === null) continue;
    if (best === null || compareDatum(t, a[i], best) * sign > 0) best = a[i];
  }
  return best;
}

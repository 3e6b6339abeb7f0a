/**
 * Validation of the POSIX cron syntax GitHub accepts in `on.schedule`:
 * five fields (minute, hour, day of month, month, day of week), each a `*`,
 * a number, a range `a-b`, a step `x/n` or a comma-separated list of these;
 * month and day-of-week also accept names (JAN-DEC, SUN-SAT).
 *
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule
 * @internal
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/**
 * Returns why `expression` is not a valid schedule, or undefined when it is.
 * @internal
 */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    return `cron "${expression}" has ${parts.length} field(s); it needs exactly 5: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-6 or SUN-SAT), e.g. "0 6 * * *"`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `cron "${expression}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  const range = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
  for (const item of text.split(',')) {
    const [base, step, ...rest] = item.split('/');
    if (rest.length > 0 || base === '') return `${field.name} field "${text}" is malformed; use *, a value, a-b, x/n or a comma list (${range})`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.max - field.min + 1)) {
      return `${field.name} field "${text}" has step "/${step}"; a step must be a number from 1 to ${field.max - field.min + 1}`;
    }
    if (base === '*') continue;
    const bounds = base.split('-');
    if (bounds.length > 2) return `${field.name} field "${text}" is malformed; use *, a value, a-b, x/n or a comma list (${range})`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = valueOf(b, field);
      if (v === undefined) return `${field.name} value "${b}" is out of range; allowed: ${range}`;
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) return `${field.name} range "${base}" is reversed; write the lower bound first`;
  }
  return undefined;
}

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + field.min : undefined;
}

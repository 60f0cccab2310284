import { DbError, invalidTimeZone, parseTimeZoneSetting, SqlState, UTC_ZONE, type TimeZone } from '@tributary/common';

/** One run-time parameter: its default, how a SET value is checked and normalized, and whether it is reported. */
interface SettingSpec {
  /** Name as SHOW ALL prints it (and as ParameterStatus reports it). */
  display: string;
  default: string;
  /** Normalizes a SET value; throws 22023 / 0A000 for values Tributary cannot honour. */
  normalize?: (value: string) => string;
  /** Sent as ParameterStatus when it changes (PostgreSQL's GUC_REPORT). */
  reported?: boolean;
  /** Read-only (SET fails with 55P02-like 0A000). */
  readOnly?: boolean;
  description: string;
}

/** `asia/kolkata` -> `Asia/Kolkata`, `america/new_york` -> `America/New_York`; mixed case is kept. */
function zoneFileCase(name: string): string {
  if (name !== name.toLowerCase()) return name;
  return name.replace(/(^|[/_-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

const invalid = (name: string, value: string): DbError =>
  new DbError(SqlState.InvalidParameterValue, `invalid value for parameter "${name}": "${value}"`);

function boolSetting(name: string) {
  return (v: string): string => {
    const l = v.toLowerCase();
    if (['on', 'true', 'yes', '1', 't'].includes(l)) return 'on';
    if (['off', 'false', 'no', '0', 'f'].includes(l)) return 'off';
    throw new DbError(SqlState.InvalidParameterValue, `parameter "${name}" requires a Boolean value`);
  };
}

/** `statement_timeout` values: ms by default, or with a unit (`5s`, `1min`, `250 ms`). */
export function parseDurationMs(name: string, v: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(v);
  if (!m) throw invalid(name, v);
  const scale: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = Math.round(Number(m[1]) * scale[(m[2] ?? 'ms').toLowerCase()]);
  if (ms < 0 || ms > 2147483647) throw invalid(name, v);
  return ms;
}

const SPECS: Record<string, SettingSpec> = {
  application_name: { display: 'application_name', default: '', reported: true, description: 'Sets the application name to be reported in statistics and logs.' },
  backfill_rate_limit: {
    display: 'backfill_rate_limit', default: '-1',
    description: 'Rows per second each backfill actor of a new materialized view reads from its upstream snapshot (-1 or DEFAULT: no limit).',
    normalize: (v) => {
      const t = v.trim().toLowerCase();
      if (t === 'default' || t === '-1') return '-1';
      if (t === '0') throw new DbError(SqlState.FeatureNotSupported, 'a paused backfill (backfill_rate_limit = 0) is not supported', { hint: 'Use a positive number of rows per second, or -1 for no limit.' });
      if (!/^\d+$/.test(t) || Number(t) > 2147483647) throw invalid('backfill_rate_limit', v);
      return String(Number(t));
    },
  },
  client_encoding: {
    display: 'client_encoding', default: 'UTF8', reported: true, description: "Sets the client's character set encoding.",
    normalize: (v) => {
      if (!/^(utf-?8|unicode)$/i.test(v)) throw new DbError(SqlState.FeatureNotSupported, `conversion between ${v} and UTF8 is not supported`);
      return 'UTF8';
    },
  },
  datestyle: {
    display: 'DateStyle', default: 'ISO, MDY', reported: true, description: 'Sets the display format for date and time values.',
    normalize: (v) => {
      const parts = v.split(/\s*,\s*/).map((p) => p.toUpperCase());
      if (parts.some((p) => !['ISO', 'MDY', 'DMY', 'YMD'].includes(p))) throw new DbError(SqlState.FeatureNotSupported, `DateStyle "${v}" is not supported: only ISO output`);
      const order = parts.find((p) => p !== 'ISO') ?? 'MDY';
      return `ISO, ${order}`;
    },
  },
  extra_float_digits: {
    display: 'extra_float_digits', default: '1', description: 'Sets the number of digits displayed for floating-point values.',
    normalize: (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -15 || n > 3) throw invalid('extra_float_digits', v);
      return String(n);
    },
  },
  implicit_flush: { display: 'implicit_flush', default: 'on', normalize: boolSetting('implicit_flush'), description: 'On (default): each INSERT/UPDATE/DELETE returns once its writes are committed, so no acknowledged write is lost. Off: it returns once the writes are in the stream (RisingWave semantics; up to one checkpoint of acknowledged writes can be lost in a crash).' },
  integer_datetimes: { display: 'integer_datetimes', default: 'on', reported: true, readOnly: true, description: 'Shows whether datetimes are integer based.' },
  intervalstyle: { display: 'IntervalStyle', default: 'postgres', reported: true, description: 'Sets the display format for interval values.', normalize: (v) => {
    if (v.toLowerCase() !== 'postgres') throw new DbError(SqlState.FeatureNotSupported, `IntervalStyle "${v}" is not supported`);
    return 'postgres';
  } },
  is_superuser: { display: 'is_superuser', default: 'on', reported: true, readOnly: true, description: 'Shows whether the current user is a superuser.' },
  search_path: { display: 'search_path', default: '"$user", public', description: 'Sets the schema search order for names that are not schema-qualified.' },
  server_encoding: { display: 'server_encoding', default: 'UTF8', reported: true, readOnly: true, description: 'Shows the server (database) character set encoding.' },
  server_version: { display: 'server_version', default: '15.0.0', reported: true, readOnly: true, description: 'Shows the server version.' },
  server_version_num: { display: 'server_version_num', default: '150000', readOnly: true, description: 'Shows the server version as an integer.' },
  session_authorization: { display: 'session_authorization', default: '', reported: true, readOnly: true, description: 'Shows the session user name.' },
  standard_conforming_strings: { display: 'standard_conforming_strings', default: 'on', reported: true, description: "Causes '...' strings to treat backslashes literally.", normalize: (v) => {
    if (boolSetting('standard_conforming_strings')(v) !== 'on') throw new DbError(SqlState.FeatureNotSupported, 'standard_conforming_strings must be on');
    return 'on';
  } },
  statement_timeout: {
    display: 'statement_timeout', default: '0', description: 'Sets the maximum allowed duration of any statement (ms; 0 = none).',
    normalize: (v) => String(parseDurationMs('statement_timeout', v)),
  },
  timezone: {
    display: 'TimeZone', default: 'UTC', reported: true, description: 'Sets the time zone for displaying and interpreting time stamps.',
    // IANA names as the zone files spell them (europe/berlin -> Europe/Berlin; an alias such as
    // Asia/Kolkata stays, although ICU resolves it to Asia/Calcutta); POSIX offsets as written.
    normalize: (v) => {
      const zone = parseTimeZoneSetting(v);
      if (zone === null) throw invalidTimeZone(v);
      const given = v.trim();
      if (zone.kind === 'iana') return zone.name.toLowerCase() === given.toLowerCase() ? zone.name : zoneFileCase(given);
      return zone.offsetSeconds === 0 && !/^[+-]?\d/.test(given) ? 'UTC' : given;
    },
  },
  transaction_isolation: { display: 'transaction_isolation', default: 'read committed', description: "Sets the current transaction's isolation level." },
  transaction_read_only: { display: 'transaction_read_only', default: 'off', readOnly: true, description: "Shows the current transaction's read-only status." },
  // Accepted so that common clients' start-up SETs succeed; they have no effect here.
  client_min_messages: { display: 'client_min_messages', default: 'notice', description: 'Sets the message levels that are sent to the client (no effect).' },
  bytea_output: { display: 'bytea_output', default: 'hex', description: 'Sets the output format for bytea.', normalize: (v) => {
    if (v.toLowerCase() !== 'hex') throw new DbError(SqlState.FeatureNotSupported, 'bytea_output must be hex');
    return 'hex';
  } },
  lock_timeout: { display: 'lock_timeout', default: '0', description: 'No effect (Tributary takes no locks).' },
  idle_in_transaction_session_timeout: { display: 'idle_in_transaction_session_timeout', default: '0', description: 'No effect.' },
  lc_messages: { display: 'lc_messages', default: 'C', description: 'No effect.' },
};

/**
 * The settings of the `options` start-up parameter (libpq's PGOPTIONS): `-c name=value` or
 * `--name=value`, separated by spaces (`\ ` escapes a space inside a value).
 */
export function optionsSettings(options: string | undefined): Array<[string, string]> {
  if (!options) return [];
  const words = options.trim().split(/(?<!\\)\s+/).map((w) => w.replaceAll('\\ ', ' '));
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    let pair: string | undefined;
    if (words[i] === '-c') pair = words[++i];
    else if (words[i].startsWith('-c')) pair = words[i].slice(2);
    else if (words[i].startsWith('--')) pair = words[i].slice(2);
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) out.push([pair.slice(0, eq).replaceAll('-', '_'), pair.slice(eq + 1)]);
  }
  return out;
}

/**
 * A session's run-time parameters (SET / SHOW / RESET). `asMap` is the view handlers read
 * (lower-case names to current values).
 */
export class SessionSettings {
  private readonly values = new Map<string, string>();

  constructor(user: string, startup: ReadonlyMap<string, string> = new Map()) {
    for (const [name, spec] of Object.entries(SPECS)) this.values.set(name, spec.default);
    this.values.set('session_authorization', user);
    for (const [name, value] of [...startup, ...optionsSettings(startup.get('options'))]) {
      const key = name.toLowerCase();
      if (key === 'user' || key === 'database' || key === 'options' || key === 'replication') continue;
      if (SPECS[key] && !SPECS[key].readOnly) {
        try {
          this.set(key, value);
        } catch {
          // Start-up parameters we cannot honour keep their defaults (PG would refuse the connection).
        }
      }
    }
  }

  get asMap(): Map<string, string> {
    return this.values;
  }

  /** SET name = value (null: DEFAULT). Returns the ParameterStatus to send when the parameter is reported. */
  set(name: string, value: string | null): Array<[string, string]> {
    const key = name.toLowerCase();
    const spec = SPECS[key];
    if (!spec) throw new DbError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
    if (spec.readOnly) throw new DbError(SqlState.FeatureNotSupported, `parameter "${name}" cannot be changed`);
    const next = value === null ? spec.default : spec.normalize ? spec.normalize(value) : value;
    this.values.set(key, next);
    return spec.reported ? [[spec.display, next]] : [];
  }

  /** RESET name | RESET ALL. */
  reset(name: string): Array<[string, string]> {
    if (name.toLowerCase() !== 'all') return this.set(name, null);
    const changes: Array<[string, string]> = [];
    for (const [key, spec] of Object.entries(SPECS)) {
      if (spec.readOnly || this.values.get(key) === spec.default) continue;
      changes.push(...this.set(key, null));
    }
    return changes;
  }

  /** SHOW name: [display name (PostgreSQL's column name: `TimeZone`, `DateStyle`), value]. */
  show(name: string): [string, string] {
    const key = name.toLowerCase();
    const spec = SPECS[key];
    if (!spec) throw new DbError(SqlState.UndefinedObject, `unrecognized configuration parameter "${name}"`);
    return [spec.display, this.values.get(key)!];
  }

  /** SHOW ALL rows: name, setting, description. */
  all(): string[][] {
    return Object.entries(SPECS)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, spec]) => [spec.display, this.values.get(key)!, spec.description]);
  }

  /** The parameters sent as ParameterStatus at start-up. */
  reportedAtStartup(): Array<[string, string]> {
    return Object.entries(SPECS).filter(([, s]) => s.reported).map(([key, s]) => [s.display, this.values.get(key)!]);
  }

  get statementTimeoutMs(): number {
    return Number(this.values.get('statement_timeout'));
  }

  /** The session's TimeZone (timestamptz input without an offset, and all output). */
  get timeZone(): TimeZone {
    return parseTimeZoneSetting(this.values.get('timezone') ?? 'UTC') ?? UTC_ZONE;
  }

  /** Snapshot rows per second per backfill actor, or undefined for no limit. */
  get backfillRateLimit(): number | undefined {
    return backfillRateLimitOf(this.values);
  }

  get implicitFlush(): boolean {
    return this.values.get('implicit_flush') === 'on';
  }
}

/** `backfill_rate_limit` of a settings map (`HandlerContext.settings`): rows per second, or undefined for none. */
export function backfillRateLimitOf(settings: ReadonlyMap<string, string>): number | undefined {
  const n = Number(settings.get('backfill_rate_limit') ?? '-1');
  return n > 0 ? n : undefined;
}

import type { StatementResult } from '../pgwire/index.ts';
import type { SessionSettings } from '../session/session-settings.ts';
import { textRows } from './result.ts';

function showRows(columns: string[], rows: string[][]): StatementResult {
  const r = textRows(columns, rows);
  return r.kind === 'rows' ? { ...r, tag: 'SHOW' } : r;
}

/** `SET name = value | DEFAULT`; reported parameters come back as ParameterStatus. */
export function handleSet(settings: SessionSettings, name: string, value: string | null): StatementResult {
  if (name === 'transaction') return { kind: 'command', tag: 'SET' }; // SET TRANSACTION ...: accepted, no effect
  return { kind: 'command', tag: 'SET', parameters: settings.set(name, value) };
}

/** `RESET name | ALL`. */
export function handleReset(settings: SessionSettings, name: string): StatementResult {
  return { kind: 'command', tag: 'RESET', parameters: settings.reset(name) };
}

/** `SHOW name | ALL`. */
export function handleShowSetting(settings: SessionSettings, name: string): StatementResult {
  if (name.toLowerCase() === 'all') return showRows(['name', 'setting', 'description'], settings.all());
  const [key, value] = settings.show(name);
  return showRows([key], [[value]]);
}

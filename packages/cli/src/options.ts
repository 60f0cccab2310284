/** A command-line flag that can also come from `TRIBUTARY_<NAME>` in the environment. */
export interface OptionSpec {
  name: string;
  help: string;
  default?: string;
  boolean?: boolean;
}

export function envName(flag: string): string {
  return `TRIBUTARY_${flag.replace(/-/g, '_').toUpperCase()}`;
}

/** Parses `--name value`, `--name=value` and boolean `--name`; flags win over the environment. */
export function parseOptions(argv: string[], specs: OptionSpec[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const s of specs) out[s.name] = process.env[envName(s.name)] ?? s.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`unknown option --${name} (see --help)`);
    if (eq >= 0) out[name] = arg.slice(eq + 1);
    else if (spec.boolean) out[name] = 'true';
    else {
      if (i + 1 >= argv.length) throw new Error(`option --${name} needs a value`);
      out[name] = argv[++i];
    }
  }
  return out;
}

export function helpText(command: string, summary: string, specs: OptionSpec[]): string {
  const lines = [`Usage: tributary ${command} [options]`, '', summary, '', 'Options (each also settable as TRIBUTARY_<NAME>):'];
  for (const s of specs) {
    const def = s.default !== undefined ? ` (default: ${s.default})` : '';
    lines.push(`  --${s.name.padEnd(22)} ${s.help}${def}   [${envName(s.name)}]`);
  }
  lines.push(`  --${'help'.padEnd(22)} show this help`);
  return lines.join('\n');
}

import { rootLogger } from '@tributary/common';
import { helpText, parseOptions } from './options.ts';
import { ROLES } from './roles.ts';
import { runCtl } from './ctl/ctl.ts';

const USAGE = `Usage: tributary <role> [options]

Roles:
${Object.entries(ROLES).map(([name, r]) => `  ${name.padEnd(12)} ${r.summary}`).join('\n')}

Run "tributary <role> --help" for a role's options; "tributary ctl --help" for cluster control.`;

async function main(argv: string[]): Promise<void> {
  const [roleName, ...rest] = argv;
  if (!roleName || roleName === '--help' || roleName === '-h' || roleName === 'help') {
    console.log(USAGE);
    return;
  }
  if (roleName === 'ctl') process.exit(await runCtl(rest));
  const role = ROLES[roleName];
  if (!role) {
    console.error(`unknown role "${roleName}"\n\n${USAGE}`);
    process.exit(2);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(helpText(roleName, role.summary, role.options));
    return;
  }
  let options;
  try {
    options = parseOptions(rest, role.options);
  } catch (err) {
    console.error(`tributary ${roleName}: ${(err as Error).message}`);
    process.exit(2);
  }
  const node = await role.run(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    rootLogger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    node.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

process.on('unhandledRejection', (err) => {
  rootLogger.error({ err }, 'unhandled rejection');
});

main(process.argv.slice(2)).catch((err) => {
  rootLogger.fatal({ err }, 'failed to start');
  process.exit(1);
});

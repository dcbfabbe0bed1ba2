import { basename } from 'node:path';

/**
 * The commented app.yaml `daffeinated init` writes for a new app: two environments coupled in a
 * pipeline, every optional section shown commented out. Pure: the name comes from the caller.
 */
export function newAppYaml(name: string, cloudflare: string | undefined): string {
  const lines = [
    `# ${name} on Heroku, written by \`daffeinated init\`. Check it offline with \`npx daffeinated validate\`;`,
    '# try it without any account: `npx daffeinated plan --sandbox`, then',
    '# `npx daffeinated deploy staging --sandbox --yes` (git HEAD, built and run locally).',
    'version: 1',
    `name: ${name}`,
    '# staging and production, coupled in one Heroku pipeline: `daffeinated promote` moves releases along it',
    `pipeline: ${name}`,
    'region: us',
    'stack: heroku-24',
    '',
    'defaults:                           # deep-merged into every environment (maps merge, lists replace)',
    '  formation:',
    '    web: { quantity: 1, size: basic }',
    '  config:',
    '    NODE_ENV: production',
    '    # SESSION_SECRET: { generate: secret }   # made once on first apply, never printed',
    '    # API_KEY: { from_env: API_KEY }          # read from the environment at apply time',
    '  # addons:',
    '  #   database: { plan: "heroku-postgresql:essential-0", as: DATABASE }   # protected from deletion',
    '  # healthcheck: { path: /health }          # deploy and promote check it after each release',
    '',
    'environments:',
    '  staging:',
    `    app: ${appName(name, 'staging')}`,
    '    stage: staging',
    '  production:',
    `    app: ${appName(name, 'production')}`,
    '    stage: production',
    '    # domains: [www.example.com]',
    '',
    '',
  ];
  const zones = cloudflare ?? [
    '# cloudflare:                        # DNS, TLS and WAF of your zones (CLOUDFLARE_API_TOKEN)',
    '#   zones:',
    '#     example.com: { owner: production }',
    '',
  ].join('\n');
  return `${lines.join('\n')}${zones}`;
}

/**
 * The project's name from the repository: package.json's `name` (scope dropped), else the
 * directory's, made a valid Heroku app name prefix (lowercase letters, digits and dashes, starting
 * with a letter, short enough for `-production`).
 */
export function projectName(packageName: string | undefined, dir: string): string {
  const raw = (packageName ?? '').replace(/^@[^/]*\//, '') || basename(dir);
  const slug = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_NAME)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : 'my-app';
}

/** Heroku app names are 3–30 characters: the name plus `-production` must fit. */
const MAX_NAME = 30 - '-production'.length;

function appName(name: string, environment: string): string {
  return `${name}-${environment}`;
}

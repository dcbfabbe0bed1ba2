/**
 * The paths below `/apps/<app>` a full Heroku read of one app requests: the app itself, then each
 * kind it holds. Kept apart from heroku.ts so unit tests can use it without the sandbox.
 */
export const APP_READ_PATHS: readonly string[] = [
  '',
  '/config-vars',
  '/formation',
  '/addons',
  '/buildpack-installations',
  '/features',
  '/domains',
  '/log-drains',
  '/pipeline-couplings',
];

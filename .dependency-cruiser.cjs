/**
 * The architecture rules of docs/architecture.md, checked in CI (`npm run arch`).
 * test/arch/architecture.e2e-spec.ts proves each rule fails on a deliberate violation.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'one-way-out',
      comment: 'Law 1: only libs/messaging may import an SMS provider SDK.',
      severity: 'error',
      from: { pathNot: '^libs/messaging/' },
      to: { path: '(^|/)node_modules/(twilio|@twilio|plivo|messagebird|@vonage|vonage|telnyx|@signalwire|@aws-sdk/client-sns|@aws-sdk/client-pinpoint)(/|$)' },
    },
    {
      name: 'plugins-use-sdk-and-core-only',
      comment: 'A plugin depends on @optline/plugin-sdk and @optline/core only.',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/' },
      to: { path: '^(libs/(?!plugin-sdk/|core/)|apps/|plugins/(?!$1/))' },
    },
    {
      name: 'libs-never-import-plugins-or-apps',
      comment: 'Core libraries never import a plugin or an app; the app composes.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(plugins|apps)/' },
    },
    {
      name: 'core-imports-no-library',
      comment: 'libs/core is the bottom layer.',
      severity: 'error',
      from: { path: '^libs/core/' },
      to: { path: '^libs/(?!core/)' },
    },
    {
      name: 'audience-sits-above-the-send-path',
      comment: 'libs/audience (segments, campaigns) depends on messaging, flows and contacts; none of them depends on it.',
      severity: 'error',
      from: { path: '^libs/(core|contacts|consent|messaging|flows|plugin-sdk|conversations)/' },
      to: { path: '^libs/audience/' },
    },
    {
      name: 'registration-sits-on-top',
      comment: 'libs/registration (the sender registration kit) reads core, consent and messaging and the flows tables; no library or plugin depends on it.',
      severity: 'error',
      from: { path: '^(libs|plugins)/(?!registration/)' },
      to: { path: '^libs/registration/' },
    },
    {
      name: 'outbound-webhooks-sit-on-core',
      comment: 'libs/outbound-webhooks (event webhooks) hears domain events through core and reads no other library; no library or plugin depends on it.',
      severity: 'error',
      from: { path: '^(libs|plugins)/(?!outbound-webhooks/)' },
      to: { path: '^libs/outbound-webhooks/' },
    },
    {
      name: 'no-deep-imports-across-libraries',
      comment: 'Libraries and plugins are imported through their barrel (@optline/x), never by a path inside them.',
      severity: 'error',
      from: { path: '^(libs|plugins|apps)/([^/]+)/' },
      to: { path: '^(libs|plugins)/([^/]+)/src/.+', pathNot: ['^(libs|plugins)/$2/', '^(libs|plugins)/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      comment: 'No cycles between modules.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/|\\.spec\\.ts$|^apps/console/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    moduleSystems: ['cjs', 'es6'],
  },
};

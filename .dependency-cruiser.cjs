// Layers of src/, each importing only the ones below it (docs/decisions.md, "Layout"):
//   entry (main, cli, server-code, testing) → features (app, core, features, bootstrap, drivers, admin, control, delivery, oauth, web, files,
//   pull-feature)
//   → http edge → methods → domain → store / realtime / limits / tls → wire / config / clock.
// `npm test` runs this through `npm run lint`; a violation names the rule below.
const entry = '^src/(main|cli|server-code|testing)\\.ts$';
const features =
  '^src/((app|core|features|bootstrap|fixtures|logging|drivers)\\.ts$|(admin|control|delivery|oauth|web|files)/|realtime/pull-feature\\.ts$)';
const http = '^src/http/';
const methods = '^src/methods/';
const domain = '^src/domain/';
const services = '^src/(store|limits|tls)/|^src/realtime/(?!pull-feature\\.ts$)';
const base = '^src/(wire|config)/|^src/clock\\.ts$';

const below = (name, from, allowed) => ({
  name,
  severity: 'error',
  comment: `${name}: this layer may import only ${allowed.join(', ')} (docs/decisions.md, Layout)`,
  from: { path: from },
  to: { path: '^src/', pathNot: [from, ...allowed.map((layer) => layer)] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no-circular: an import cycle; move what both sides need into a lower layer',
      from: {},
      to: { circular: true },
    },
    below('features-import-lower-layers', features, [http, methods, domain, services, base]),
    below('http-edge-imports-methods-and-below', http, [methods, domain, services, base]),
    below('methods-import-domain-and-below', methods, [domain, services, base]),
    below('domain-imports-no-edge-or-methods', domain, [services, base]),
    below('store-realtime-limits-import-only-wire-config-clock', services, [base]),
    below('wire-config-clock-are-the-bottom', base, []),
    {
      name: 'web-ui-stays-in-web',
      severity: 'error',
      comment: 'web-ui-stays-in-web: the browser bundle imports no server code',
      from: { path: '^web/src/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};

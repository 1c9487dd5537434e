/** Boundaries of STYLE.md §2–3, enforced on every `npm run lint`. */
const ctx = (name) => `^libs/${name}/`;
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing of ours and no framework.',
      severity: 'error',
      from: { path: ctx('domain') },
      to: {
        path: ['^libs/(?!domain/)', '^apps/', 'node_modules/(@nestjs|typeorm|bullmq|ioredis|socket\\.io|pino|pg)(/|$)'],
      },
    },
    { name: 'libs-never-import-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'apps-never-import-each-other',
      comment: 'api, worker and gateway are separate edges; apps/hub is the composition root that assembles them.',
      severity: 'error',
      from: { path: '^apps/(api|worker|gateway)/', pathNot: '^apps/[^/]+/src/main\\.ts$' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'mains-share-only-the-entry',
      severity: 'error',
      from: { path: '^apps/(api|worker|gateway)/src/main\\.ts$' },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/hub/src/run\\.ts$'] },
    },
    {
      name: 'platform-is-the-bottom',
      severity: 'error',
      from: { path: ctx('platform') },
      to: { path: '^libs/(?!platform/|domain/)' },
    },
    {
      name: 'db-and-queues-only-on-platform',
      severity: 'error',
      from: { path: '^libs/(db|queues)/' },
      to: { path: '^libs/(orgs|alerts|coordination|normalization|vetting|delivery)/' },
    },
    {
      name: 'orgs-is-leftmost-context',
      severity: 'error',
      from: { path: ctx('orgs') },
      to: { path: '^libs/(alerts|coordination|normalization|vetting|delivery)/' },
    },
    {
      name: 'alerts-only-left',
      severity: 'error',
      from: { path: ctx('alerts') },
      to: { path: '^libs/(coordination|normalization|vetting|delivery)/' },
    },
    {
      name: 'coordination-only-on-alerts-and-orgs',
      comment:
        'Coordination (links, corroboration, coordinated alerts) sits between alerts and its users: vetting corroborates ' +
        'through it, delivery reads coordinated-alert snapshots; it never imports them (a step their way is a job).',
      severity: 'error',
      from: { path: ctx('coordination') },
      to: { path: '^libs/(normalization|vetting|delivery)/' },
    },
    {
      name: 'sibling-contexts-do-not-import-each-other',
      severity: 'error',
      from: { path: '^libs/(normalization|vetting|delivery)/' },
      to: { path: '^libs/(normalization|vetting|delivery)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'repositories-stay-in-their-context',
      comment:
        "A context's repositories are its own: others use its use-cases and read models through its index.ts " +
        '(the index exporting no repository is checked by apps/hub/src/context-exports.spec.ts).',
      severity: 'error',
      from: { path: '^(libs/[^/]+|apps)/' },
      to: {
        path: '^libs/(orgs|alerts|coordination|normalization|vetting|delivery)/.*\\.repository\\.ts$',
        pathNot: '^$1/',
      },
    },
    {
      name: 'typeorm-only-in-db-and-repositories',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['^libs/db/', '\\.repository\\.ts$', '\\.(int-spec|e2e-spec)\\.ts$'] },
      to: { path: 'node_modules/typeorm/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

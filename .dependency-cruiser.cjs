/**
 * The architecture rules `npm test` enforces (docs/architecture.md draws them).
 * A slice is a folder under shared/. platform/ is the plumbing every slice may use, file by file.
 * Another slice is reached only through its public files: index.ts (for slices) and triggers.ts
 * (the handlers and routes that functions/, the composition root, wires).
 */
const SLICE = '^shared/(?!platform/)([^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make load order and ownership unclear.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-slice',
      severity: 'error',
      comment: 'platform/ is plumbing; it must not know any feature slice.',
      from: { path: '^shared/platform/' },
      to: { path: SLICE },
    },
    {
      name: 'slices-never-import-the-composition-root',
      severity: 'error',
      comment: 'functions/ wires the slices and local/ hosts them; a slice depending on either inverts the house.',
      from: { path: '^shared/' },
      to: { path: '^(functions|local)/' },
    },
    {
      name: 'messaging-is-meta-in-and-out',
      severity: 'error',
      comment: 'messaging talks to Meta; it hands work to replies and knowledge through queues, never by import.',
      from: { path: '^shared/messaging/' },
      to: { path: '^shared/(replies|knowledge)/' },
    },
    {
      name: 'slices-meet-through-index',
      severity: 'error',
      comment: "A slice reaches another slice only through that slice's index.ts.",
      from: { path: SLICE },
      to: { path: SLICE, pathNot: ['^shared/$1/', '^shared/[^/]+/index\\.ts$'] },
    },
    {
      name: 'composition-root-uses-public-files',
      severity: 'error',
      comment: 'functions/ and local/ reach a slice only through its index.ts or triggers.ts.',
      from: { path: '^(functions|local)/' },
      to: { path: SLICE, pathNot: '^shared/[^/]+/(index|triggers)\\.ts$' },
    },
    {
      name: 'every-file-belongs-to-a-slice',
      severity: 'error',
      comment: 'A file directly under shared/ would belong to no slice and could bridge any rule.',
      from: {},
      to: { path: '^shared/[^/]+$' },
    },
    {
      name: 'no-unreachable-source',
      severity: 'error',
      comment: 'A source file nothing imports is dead code (knip reports unused exports).',
      from: { orphan: true, path: '^shared/', pathNot: ['\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(shared|functions|local)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'node', 'default'] },
  },
};

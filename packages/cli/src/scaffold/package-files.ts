import type { KindTemplate, TemplateValues } from './kind-template.js';
import { KIND_FLAG } from './scaffold-names.js';
import type { ScaffoldVersions } from './scaffold-versions.js';

/**
 * package.json of a scaffolded plugin. ESM with an exports map (what upframe's resolver reads),
 * `@upframe/core` as a `^` peer so the user's copy is the one loaded, and the kit and toolchain
 * as dev dependencies. `prepack` builds, so a packed or published tarball always has dist/.
 */
export function packageJson(template: KindTemplate, values: TemplateValues, versions: ScaffoldVersions): string {
  const pkg = {
    name: values.packageName,
    version: '0.1.0',
    description: `A ${template.summary} for upframe: ${KIND_FLAG[template.kind]} ${values.stageName}`,
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist', 'README.md'],
    keywords: ['upframe-plugin', `upframe-${template.kind}`],
    engines: { node: '>=20.9.0' },
    scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc', test: 'vitest run', prepack: 'npm run build' },
    peerDependencies: { '@upframe/core': versions.core },
    devDependencies: {
      '@upframe/core': versions.core,
      '@upframe/plugin-kit': versions.kit,
      '@types/node': versions['@types/node'],
      typescript: versions.typescript,
      vitest: versions.vitest,
    },
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** The editor's and `npm run typecheck`'s view: everything under src/, tests included. */
export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      sourceMap: true,
      skipLibCheck: true,
      isolatedModules: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
      // Plain `tsc` only checks; emitting is the build's job, so tests never land in dist/.
      noEmit: true,
    },
    include: ['src'],
  };
  return JSON.stringify(config, null, 2) + '\n';
}

/** What `npm run build` compiles to dist/: the same without the tests (vitest runs those from src). */
export function tsconfigBuildJson(): string {
  return JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: false }, exclude: ['src/**/*.test.ts'] }, null, 2) + '\n';
}

export function gitignore(): string {
  return 'node_modules/\ndist/\n*.tgz\n';
}

export function readme(template: KindTemplate, values: TemplateValues): string {
  const flag = KIND_FLAG[template.kind];
  return `# ${values.packageName}

A ${template.summary} for [upframe](https://www.npmjs.com/package/@upframe/cli), selected with
\`${flag} ${values.stageName}\`. Scaffolded by \`upframe plugin init\`; replace the implementation in
\`src/index.ts\` with your own.

## Develop

\`\`\`sh
npm install
npm test          # your tests plus @upframe/plugin-kit's contract checks, one test per invariant
npm run build     # dist/, what upframe loads
\`\`\`

## Use

\`\`\`sh
npm i -D @upframe/cli ${values.packageName}
${template.usage(values)}
\`\`\`

or list it in \`upframe.config.json\`: \`{ "plugins": ["${values.packageName}"] }\`. A path works too:
\`--plugin ./dist/index.js\`.

## Compatibility

\`apiVersion: '${values.apiVersion}'\` in \`src/index.ts\` is the plugin API this was written for: upframe
loads it when its own plugin API has the same major and an equal or newer minor, and refuses it
otherwise, naming both versions. \`@upframe/core\` is a peer dependency: the user's upframe provides it.
See upframe's docs/plugins.md for the contracts, the options schema and what the kit checks.
`;
}

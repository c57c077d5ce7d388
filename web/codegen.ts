import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the service's own schema files. schema-pending/ holds API
// that another branch is building; it is deleted when that lands.
const config: CodegenConfig = {
  schema: ['../graph/schema/*.graphqls', 'schema-pending/*.graphqls'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { Time: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;

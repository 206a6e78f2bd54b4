// The `yaml` package as the locator takes it, for code that loads it on demand: `await import('…/yaml/package.js')`.
// A bundle given `import('yaml')` itself would see only a default export (the package is CommonJS); a static
// namespace import here gives the named exports everywhere.
import * as YAML from 'yaml';
import type { YamlPackage } from './locate.js';

export const yamlPackage: YamlPackage = YAML;

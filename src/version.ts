// The product's version, read from package.json (works from src/ under the test loader and from dist/).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const PRODUCT_VERSION: string = (require('../package.json') as { version: string }).version;

import packageJson from '../../package.json' with { type: 'json' };

export const PARLEY_VERSION: string = packageJson.version;
export const PARLEY_NAME: string = packageJson.productName;

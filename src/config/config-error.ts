/** A setting that cannot work: the server says so in one line and exits, without a stack trace. */
export class ConfigError extends Error {}

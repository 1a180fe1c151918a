/** Every scope b24-local knows; `scope?full=true` lists them, and an application with none set has them all. */
export const KNOWN_SCOPES = ['basic', 'user', 'user_brief', 'user_basic', 'im', 'imbot', 'pull', 'event'];

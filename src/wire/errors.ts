// The one catalog of Bitrix24 error codes: HTTP status and default description.
// System errors: b24restdocs `_includes/system-errors.md`; method errors: each method's page.

export const ERRORS = {
  // System errors (any method)
  INTERNAL_SERVER_ERROR: [500, 'Internal server error'],
  ERROR_UNEXPECTED_ANSWER: [500, 'Server returned an unexpected response'],
  QUERY_LIMIT_EXCEEDED: [503, 'Too many requests'],
  OVERLOAD_LIMIT: [503, 'REST API is blocked due to overload'],
  OPERATION_TIME_LIMIT: [429, 'Method is blocked due to operation time limit.'],
  ERROR_BATCH_METHOD_NOT_ALLOWED: [405, 'Method is not allowed for batch usage'],
  ERROR_BATCH_LENGTH_EXCEEDED: [400, 'Max batch length exceeded'],
  NO_AUTH_FOUND: [401, 'Wrong authorization data'],
  INVALID_CREDENTIALS: [403, 'Invalid request credentials'],
  invalid_token: [401, 'The access token provided is invalid'],
  expired_token: [401, 'The access token provided has expired'],
  insufficient_scope: [403, 'The request requires higher privileges than provided by the webhook token'],
  user_access_error: [403, 'The user does not have access to the application'],
  ERROR_METHOD_NOT_FOUND: [404, 'Method not found!'],
  INVALID_REQUEST: [400, 'Invalid request'],
  REQUEST_TOO_LARGE: [413, 'Request body is too large'],
  // b24-local's own: a client too slow to send its request, or sending headers over Node's limit (16 KB)
  REQUEST_TIMEOUT: [408, 'The request was not received in time'],
  REQUEST_HEADER_TOO_LARGE: [431, 'Request header fields are too large'],
  WRONG_AUTH_TYPE: [403, 'Current authorization type is denied for this method'],
  ACCESS_DENIED: [403, 'Access denied!'],
  // b24-local's own endpoints (unknown paths, admin API, control API)
  NOT_FOUND: [404, 'Not found'],
  WAIT_TIMEOUT: [408, 'Nothing arrived before the timeout'],
  START_STATE_LOST: [503, 'The start state to reset to is not available'],
  // OAuth server (/oauth/token/), b24restdocs settings/oauth/error-codes.md
  invalid_request: [400, 'Invalid request'],
  invalid_client: [401, 'Invalid client'],
  invalid_grant: [400, 'Invalid grant'],
  invalid_scope: [400, 'Requested scope exceeds the application scope'],
  unsupported_grant_type: [400, 'Unsupported grant type'],
  // Users
  ERROR_CORE: [400, 'Error'],
  // user.add (b24restdocs api-reference/user/user-add.md)
  ERROR_ARGUMENT: [400, 'Invalid argument'],
  ERROR_GROUPID: [400, 'Group code not specified'],
  ERROR_NO_GROUP: [400, 'Group is specified incorrectly'],
  // Bots and chats (v1)
  BOT_ID_ERROR: [400, 'Bot not found'],
  // CIMRestService's wording in every bot method (the pages print "REST" on some, "rest" on others)
  APP_ID_ERROR: [400, 'Bot was installed by another rest application'],
  DIALOG_ID_EMPTY: [400, "Dialog ID can't be empty"],
  CODE_ERROR: [400, "Bot code isn't specified"],
  NAME_ERROR: [400, "Bot name isn't specified"],
  MAX_COUNT_ERROR: [400, 'Has reached the maximum number of bots for application (max: 5)'],
  EVENT_MESSAGE_ADD_ERROR: [400, 'Handler for "Message add" event isn\'t specified'],
  EVENT_MESSAGE_UPDATE_ERROR: [400, 'Wrong handler URL'],
  EVENT_MESSAGE_DELETE_ERROR: [400, 'Wrong handler URL'],
  EVENT_WELCOME_MESSAGE_ERROR: [400, 'Handler for "Welcome message" event isn\'t specified'],
  EVENT_BOT_DELETE_ERROR: [400, 'Handler for "Bot delete" event isn\'t specified'],
  WRONG_REQUEST: [400, 'Wrong request'],
  INVALID_FORMAT: [400, 'Parameter USERS has wrong type'],
  CHAT_ID_EMPTY: [400, "Chat ID can't be empty"],
  USER_ID_EMPTY: [400, "User ID can't be empty"],
  TITLE_EMPTY: [400, "Title can't be empty"],
  WRONG_COLOR: [400, 'This color currently unavailable'],
  AVATAR_ERROR: [400, 'Avatar incorrect type'],
  ACCESS_ERROR: [403, 'Action unavailable'],
  AUTHORIZE_ERROR: [403, 'Method not available for guest session.'],
  // Messages and commands (imbot.message.*, imbot.command.*, im.message.*, im.dialog.*)
  MESSAGE_EMPTY: [400, "Message can't be empty"],
  MESSAGE_ID_ERROR: [400, "Message ID can't be empty"],
  MESSAGE_ID_EMPTY: [400, "Message ID can't be empty"],
  ATTACH_ERROR: [400, 'Incorrect attach params'],
  ATTACH_OVERSIZE: [400, 'You have exceeded the maximum allowable size of attach'],
  KEYBOARD_ERROR: [400, 'Incorrect keyboard params'],
  KEYBOARD_OVERSIZE: [400, 'You have exceeded the maximum allowable size of keyboard'],
  MENU_ERROR: [400, 'Incorrect menu params'],
  // im.message.update spells it in lower case (its docs page and the im module agree).
  menu_ERROR: [400, 'Incorrect menu params'],
  MENU_OVERSIZE: [400, 'You have exceeded the maximum allowable size of menu'],
  CANT_EDIT_MESSAGE: [403, "Time has expired for modification or you don't have access"],
  WITHOUT_CHANGES: [400, 'Action completed without changes'],
  USER_NOT_FOUND: [400, 'User not found'],
  // im.message.add: the chat of DIALOG_ID does not exist (the page's code is literally CHAT_ID).
  CHAT_ID: [400, 'Error creating message'],
  REPLY_ACCESS_ERROR: [403, 'Action unavailable'],
  REPLY_FROM_OTHER_CHAT_ERROR: [400, 'You can only reply to a message within the same chat'],
  FIRST_ID_STRING: [400, "First ID can't be string"],
  LAST_ID_STRING: [400, "Last ID can't be string"],
  EVENT_COMMAND_ADD_ERROR: [400, 'Handler for "Command add" event isn\'t specified'],
  COMMAND_ID_ERROR: [400, 'Command not found'],
  LANG_ERROR: [400, "Lang set can't be empty"],
  // Events (b24restdocs api-reference/events/event-bind.md, test-handler.md)
  ERROR_EVENT_NOT_FOUND: [400, 'Event not found'],
  ERROR_WRONG_HANDLER_URL: [400, 'Wrong handler URL'],
  ERROR_UNSUPPORTED_PROTOCOL: [400, 'Unsupported handler protocol'],
  // Push & Pull
  USER_ID_ACCESS_ERROR: [400, 'Only admin can send notifications to other channels'],
  MODULE_ID_ERROR: [400, 'Module ID format error'],
  COMMAND_ERROR: [400, 'Command format error'],
  PARAMS_ERROR: [400, 'Params format error'],
  TEXT_ERROR: [400, "Text can't be empty"],
  EMPTY_APP_NAME: [400, "For send push-notification application name can't be empty"],
  // Push & Pull endpoints (/sub/, /pub/): b24-local's own, the platform's RT server documents none
  CHANNEL_ID_EMPTY: [400, 'No channel id or token provided'],
  WRONG_CHANNEL_ID: [403, 'Wrong channel id or token: fetch a new config'],
  PUBLISH_DISABLED: [400, 'Publishing is disabled (publish_enabled is false); only mack: acknowledgements are taken'],
  // Web messenger sign-in (b24-local's own endpoint, not a Bitrix24 method)
  WRONG_LOGIN: [401, 'Wrong login or password'],
  PASSWORD_CHANGE_REQUIRED: [403, 'The default password must be changed at the first sign-in: send new_password'],
  PASSWORD_TOO_WEAK: [400, 'The new password needs at least 8 characters and must not be the default one'],
  // Chat bots v2 (b24restdocs api-reference/chat-bots/chat-bots-v2/**, "Possible Error Codes" of each page)
  BOT_TOKEN_NOT_SPECIFIED: [400, 'Bot token is not specified'],
  BOT_ID_REQUIRED: [400, 'Bot ID is required'],
  BOT_NOT_FOUND: [400, 'Bot not found'],
  BOT_OWNERSHIP_ERROR: [403, 'Bot is registered by another application'],
  BOT_CODE_REQUIRED: [400, 'Bot code is required'],
  BOT_PROPERTIES_REQUIRED: [400, 'Bot properties are required'],
  BOT_CODE_ALREADY_TAKEN: [400, 'Bot code is already taken'],
  BOT_REGISTER_FAILED: [400, 'Bot registration failed'],
  BOT_INVALID_TYPE: [400, 'Invalid bot type'],
  BOT_INVALID_EVENT_MODE: [400, 'Invalid event mode'],
  BOT_WEBHOOK_URL_REQUIRED: [400, 'Webhook URL is required'],
  BOT_INVALID_CALLBACK: [400, 'Invalid callback URL'],
  BOT_LIMIT_EXCEEDED: [400, 'Bot limit exceeded'],
  BOT_AVATAR_INCORRECT_TYPE: [400, 'Avatar must be an image'],
  BOT_AVATAR_INCORRECT_SIZE: [400, 'Avatar exceeds maximum size'],
  BOT_TOKEN_ROTATION_FAILED: [400, 'Bot token rotation failed'],
  // change-log.md BOT-BC-0506-1 names the code, not its text
  BOT_TOKEN_INVALID_LENGTH: [400, 'Bot token must not be longer than 40 characters'],
  PARAMS_REQUIRED: [400, 'Required parameters are missing'],
  SCOPE_ERROR: [403, 'Scope error'],
  AUTH_ERROR: [401, 'Auth error'],
  USER_NOT_SUBSCRIBED: [400, 'User not subscribed'],
  EMPTY_USER_IDS: [400, 'Empty user IDs'],
  EMPTY_MESSAGE: [400, 'Message is empty'],
  MESSAGE_NOT_FOUND: [400, 'Message not found'],
  MESSAGE_ACCESS_DENIED: [403, 'Message access denied'],
  BOT_TYPE_NOT_ALLOWED: [403, 'Bot type not allowed'],
  REACTION_NOT_FOUND: [400, 'Reaction not found'],
  REACTION_ALREADY_SET: [400, 'Reaction already set'],
  COMMAND_REQUIRED: [400, 'Command is required'],
  COMMAND_NAME_INVALID: [400, 'Command name is invalid'],
  COMMAND_NAME_EMPTY: [400, 'Command name is empty'],
  COMMAND_TITLE_REQUIRED: [400, 'Command title is required'],
  COMMAND_NOT_FOUND: [400, 'Command not found'],
  COMMAND_ALREADY_EXISTS: [400, 'Command already exists'],
  COMMAND_ANSWER_FAILED: [400, 'Command answer failed'],
  FILE_EMPTY: [400, 'File name or content is empty'],
  FILE_INVALID_CONTENT: [400, 'Invalid base64 content'],
  FILE_TOO_LARGE: [400, 'File is too large'],
  FILE_NOT_FOUND: [400, 'File not found'],
  FILE_ACCESS_ERROR: [403, 'File access error'],
  CHAT_NOT_FOUND: [400, 'CHAT_NOT_FOUND'],
  // b24-local's own codes where a v2 page leaves bad input open (docs/decisions.md, "v2 API")
  STATUS_MESSAGE_CODE_INVALID: [400, 'Unknown statusMessageCode'],
  DURATION_INVALID: [400, 'duration must be an integer from 1 to 600 seconds'],
  // The REST controllers' argument binder (v2 methods): a missing or mistyped argument, HTTP 400, numeric code 100
  // ("Could not find value for parameter {id}", b24restdocs api-reference/tasks/… and booking pages).
  '100': [400, 'Could not find value for parameter'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

/** Longest error description: those that echo a client's value (a 1 MB param) are cut here, marked with `…`. */
export const MAX_DESCRIPTION = 500;

function capped(text: string): string {
  if (text.length <= MAX_DESCRIPTION) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[MAX_DESCRIPTION - 1]) ? MAX_DESCRIPTION - 1 : MAX_DESCRIPTION;
  return `${text.slice(0, cut)}…`;
}

/** A Bitrix24 error answer. Thrown anywhere below the wire; the envelope turns it into `{error, error_description}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly description: string;
  /** Further keys of the error body some methods send (user.add: `"argument": ""`). */
  extra?: Record<string, unknown>;
  /**
   * What the developer can do about this refusal (a setting that allows it here): logged and shown in the request
   * inspector, never sent, so the answer stays the portal's.
   */
  hint?: string;
  constructor(
    readonly code: ErrorCode | (string & {}),
    description?: string,
    status?: number,
  ) {
    const known = (ERRORS as Record<string, readonly [number, string]>)[code];
    super(capped(description ?? known?.[1] ?? code));
    this.description = capped(description ?? known?.[1] ?? '');
    this.status = status ?? known?.[0] ?? 400;
  }
}

/** Shorthand used by handlers and domain code: `throw fail('BOT_ID_ERROR')`. */
export function fail(code: ErrorCode, description?: string, status?: number): ApiError {
  return new ApiError(code, description, status);
}

import type { UserRow } from './user-row.ts';

// The standard user fields (b24restdocs api-reference/user/user-fields.md), in the order user.fields lists them,
// with where each lives: a users column, or `profile_fields` (jsonb) for the ones without a column.

export type UserFieldType = 'id' | 'string' | 'bool' | 'datetime' | 'date' | 'departments' | 'online' | 'file';

export interface UserField {
  name: string;
  caption: string;
  type: UserFieldType;
  /** The users column; absent = stored in `profile_fields` under `name`. IS_ONLINE is computed. */
  column?: keyof UserRow;
  /** user.add / user.update may set it. */
  writable: boolean;
  /** A timestamp the platform shows as a date at midnight (DATE_REGISTER in the user.get example). */
  shownAsDate?: boolean;
}

const F = (
  name: string,
  caption: string,
  type: UserFieldType = 'string',
  column?: keyof UserRow,
  writable = true,
): UserField => ({ name, caption, type, column, writable });

export const USER_FIELD_LIST: readonly UserField[] = [
  F('ID', 'ID', 'id', 'id', false),
  F('XML_ID', 'External code'),
  F('ACTIVE', 'Activity', 'bool', 'active'),
  F('NAME', 'First Name', 'string', 'name'),
  F('LAST_NAME', 'Last Name', 'string', 'last_name'),
  F('SECOND_NAME', 'Middle Name', 'string', 'second_name'),
  F('TITLE', 'User List'),
  F('EMAIL', 'E-Mail', 'string', 'email'),
  F('LAST_LOGIN', 'Last Authorization', 'datetime', 'last_login', false),
  { ...F('DATE_REGISTER', 'Registration Date', 'datetime', 'date_register', false), shownAsDate: true },
  F('TIME_ZONE', 'TIME_ZONE', 'string', 'time_zone'),
  F('IS_ONLINE', 'IS_ONLINE', 'online', undefined, false),
  F('TIMESTAMP_X', 'TIMESTAMP_X', 'datetime', 'timestamp_x', false),
  F('LAST_ACTIVITY_DATE', 'LAST_ACTIVITY_DATE', 'datetime', 'last_activity', false),
  F('PERSONAL_GENDER', 'Gender', 'string', 'personal_gender'),
  F('PERSONAL_PROFESSION', 'Profession'),
  F('PERSONAL_WWW', 'Homepage', 'string', 'personal_www'),
  F('PERSONAL_BIRTHDAY', 'Date of Birth', 'date', 'personal_birthday'),
  F('PERSONAL_PHOTO', 'Photo', 'file', 'personal_photo'),
  F('PERSONAL_ICQ', 'ICQ'),
  F('PERSONAL_PHONE', 'Personal Phone'),
  F('PERSONAL_FAX', 'Fax'),
  F('PERSONAL_MOBILE', 'Personal Mobile', 'string', 'personal_mobile'),
  F('PERSONAL_PAGER', 'Pager'),
  F('PERSONAL_STREET', 'Residential Street'),
  F('PERSONAL_CITY', 'Residential City', 'string', 'personal_city'),
  F('PERSONAL_STATE', 'State / Region'),
  F('PERSONAL_ZIP', 'Zip Code'),
  F('PERSONAL_COUNTRY', 'Country'),
  F('PERSONAL_MAILBOX', 'P.O. Box'),
  F('PERSONAL_NOTES', 'Additional Notes'),
  F('WORK_PHONE', 'Company Phone', 'string', 'work_phone'),
  F('WORK_COMPANY', 'Company'),
  F('WORK_POSITION', 'Job Title', 'string', 'work_position'),
  F('WORK_DEPARTMENT', 'Department'),
  F('WORK_WWW', 'Company Website'),
  F('WORK_FAX', 'WORK_FAX'),
  F('WORK_PAGER', 'WORK_PAGER'),
  F('WORK_STREET', 'WORK_STREET'),
  F('WORK_MAILBOX', 'WORK_MAILBOX'),
  F('WORK_CITY', 'Work City'),
  F('WORK_STATE', 'WORK_STATE'),
  F('WORK_ZIP', 'WORK_ZIP'),
  F('WORK_COUNTRY', 'WORK_COUNTRY'),
  F('WORK_PROFILE', 'WORK_PROFILE'),
  F('WORK_LOGO', 'WORK_LOGO', 'file'),
  F('WORK_NOTES', 'WORK_NOTES'),
  F('UF_SKYPE_LINK', 'Skype Chat Link'),
  F('UF_ZOOM', 'Zoom'),
  F('UF_EMPLOYMENT_DATE', 'Hire Date', 'date'),
  F('UF_TIMEMAN', 'Time Tracking'),
  F('UF_DEPARTMENT', 'Units', 'departments', 'departments'),
  F('UF_INTERESTS', 'Interests'),
  F('UF_SKILLS', 'Skills'),
  F('UF_WEB_SITES', 'Other Websites'),
  F('UF_XING', 'Xing'),
  F('UF_LINKEDIN', 'LinkedIn'),
  F('UF_FACEBOOK', 'Facebook'),
  F('UF_TWITTER', 'Twitter'),
  F('UF_SKYPE', 'Skype'),
  F('UF_DISTRICT', 'District'),
  F('UF_PHONE_INNER', 'Extension'),
  F('USER_TYPE', 'USER_TYPE', 'string', 'user_type', false),
];

export const USER_FIELDS_BY_NAME: ReadonlyMap<string, UserField> = new Map(USER_FIELD_LIST.map((f) => [f.name, f]));

// b24restdocs api-reference/user/user-scope.md: what user_brief and user_basic may see. USER_TYPE is in every
// level (the user.get example shows it; the platform adds it wherever the intranet module runs, i.e. the cloud).
const BRIEF = [
  'ID',
  'XML_ID',
  'ACTIVE',
  'NAME',
  'LAST_NAME',
  'SECOND_NAME',
  'TITLE',
  'IS_ONLINE',
  'TIME_ZONE',
  'PERSONAL_PHOTO',
  'TIMESTAMP_X',
  'DATE_REGISTER',
  'PERSONAL_PROFESSION',
  'PERSONAL_GENDER',
  'PERSONAL_BIRTHDAY',
  'PERSONAL_CITY',
  'PERSONAL_STATE',
  'PERSONAL_COUNTRY',
  'WORK_POSITION',
  'WORK_CITY',
  'WORK_STATE',
  'WORK_COUNTRY',
  'LAST_ACTIVITY_DATE',
  'UF_EMPLOYMENT_DATE',
  'UF_TIMEMAN',
  'UF_SKILLS',
  'UF_INTERESTS',
  'UF_DEPARTMENT',
  'UF_PHONE_INNER',
  'USER_TYPE',
];
const BASIC_EXTRA = [
  'EMAIL',
  'PERSONAL_PHONE',
  'WORK_PHONE',
  'WORK_COMPANY',
  'PERSONAL_FAX',
  'PERSONAL_MOBILE',
  'PERSONAL_PAGER',
  'PERSONAL_STREET',
  'PERSONAL_MAILBOX',
  'PERSONAL_ZIP',
  'PERSONAL_NOTES',
  'WORK_DEPARTMENT',
  'WORK_WWW',
  'WORK_FAX',
  'WORK_PAGER',
  'WORK_STREET',
  'WORK_MAILBOX',
  'WORK_ZIP',
  'WORK_PROFILE',
  'WORK_LOGO',
  'WORK_NOTES',
  'UF_DISTRICT',
  'UF_SKYPE',
  'UF_SKYPE_LINK',
  'UF_ZOOM',
  'UF_TWITTER',
  'UF_FACEBOOK',
  'UF_LINKEDIN',
  'UF_XING',
  'UF_WEB_SITES',
];

const LEVELS = {
  user: new Set(USER_FIELD_LIST.map((f) => f.name)),
  user_basic: new Set([...BRIEF, ...BASIC_EXTRA]),
  user_brief: new Set(BRIEF),
};

/** The fields a caller may read: `user` (or every scope) sees all, else user_basic, else user_brief. */
export function visibleUserFields(scopes: ReadonlySet<string> | null): ReadonlySet<string> {
  if (scopes === null || scopes.has('user')) return LEVELS.user;
  if (scopes.has('user_basic')) return LEVELS.user_basic;
  if (scopes.has('user_brief')) return LEVELS.user_brief;
  return new Set();
}

/**
 * What user.get answers without `select`: the keys of the docs' example, always, then any other visible field
 * that has a value (the platform leaves out fields that were never set; b24restdocs user-get.md example).
 */
export const DEFAULT_USER_FIELDS: ReadonlySet<string> = new Set([
  'ID',
  'ACTIVE',
  'NAME',
  'LAST_NAME',
  'SECOND_NAME',
  'EMAIL',
  'LAST_LOGIN',
  'DATE_REGISTER',
  'TIME_ZONE',
  'IS_ONLINE',
  'TIMESTAMP_X',
  'LAST_ACTIVITY_DATE',
  'PERSONAL_GENDER',
  'PERSONAL_WWW',
  'PERSONAL_BIRTHDAY',
  'PERSONAL_MOBILE',
  'PERSONAL_CITY',
  'WORK_PHONE',
  'WORK_POSITION',
  'UF_EMPLOYMENT_DATE',
  'UF_DEPARTMENT',
  'USER_TYPE',
]);

/** Bitrix24 counts a user online while their last activity is younger than the session lifetime (PHP's 1440 s). */
export const ONLINE_WINDOW_SEC = 1440;

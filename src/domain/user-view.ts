import { atom } from '../http/envelope.ts';
import type { UserRow } from './users.ts';

/** A user as user.get / user.current answer it (b24restdocs api-reference/user/user-get.md): ids as strings. */
export function userView(user: UserRow): Record<string, unknown> {
  return {
    ID: String(user.id),
    XML_ID: '',
    ACTIVE: user.active,
    NAME: user.name,
    LAST_NAME: user.last_name,
    SECOND_NAME: user.second_name,
    EMAIL: user.email,
    LAST_LOGIN: user.last_login ? atom(user.last_login.getTime()) : '',
    DATE_REGISTER: atom(user.date_register.getTime()),
    TIME_ZONE: user.time_zone,
    IS_ONLINE: 'N',
    TIMESTAMP_X: atom(user.timestamp_x.getTime()),
    LAST_ACTIVITY_DATE: user.last_activity ? atom(user.last_activity.getTime()) : '',
    PERSONAL_GENDER: user.personal_gender,
    PERSONAL_WWW: user.personal_www,
    PERSONAL_BIRTHDAY: user.personal_birthday,
    PERSONAL_MOBILE: user.personal_mobile,
    PERSONAL_CITY: user.personal_city,
    PERSONAL_PHOTO: user.personal_photo,
    WORK_PHONE: user.work_phone,
    WORK_POSITION: user.work_position,
    UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: user.departments,
    USER_TYPE: user.user_type,
  };
}

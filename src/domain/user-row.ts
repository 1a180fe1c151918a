export interface UserRow {
  id: number;
  active: boolean;
  name: string;
  last_name: string;
  second_name: string;
  email: string;
  login: string | null;
  password_hash: string | null;
  is_admin: boolean;
  is_bot: boolean;
  user_type: string;
  work_position: string;
  personal_gender: string;
  personal_birthday: string;
  personal_www: string;
  personal_mobile: string;
  personal_city: string;
  personal_photo: string;
  work_phone: string;
  time_zone: string;
  color: string;
  departments: number[];
  date_register: Date;
  timestamp_x: Date;
  last_login: Date | null;
  last_activity: Date | null;
  /** Fields without a column of their own (TITLE, WORK_COMPANY, UF_SKYPE, …), by their Bitrix24 names. */
  profile_fields: Record<string, string>;
}

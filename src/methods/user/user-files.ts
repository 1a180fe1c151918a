import type { Avatars } from '../../domain/avatars.ts';
import type { UserChanges } from '../../domain/user-edit.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { fileContent } from '../imbot/file-param.ts';

function isEmptyFile(raw: unknown): boolean {
  const content = Array.isArray(raw) ? raw[1] : raw && typeof raw === 'object' ? Object.values(raw)[1] : raw;
  return content === undefined || content === null || content === '' || content === false;
}

/**
 * Stores PERSONAL_PHOTO and WORK_LOGO (b24restdocs user-add.md: "an array containing the file name and a Base64
 * string") as images served by this server; an empty value removes the file. What is no image is ERROR_CORE, the
 * code of the pages' "error updating user fields".
 */
export async function storeUserFiles(avatars: Avatars, changes: UserChanges): Promise<void> {
  for (const [name, raw] of Object.entries(changes.files)) {
    let path = '';
    if (!isEmptyFile(raw)) {
      try {
        path = await avatars.save(fileContent(raw));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'AVATAR_ERROR')
          throw fail('ERROR_CORE', `${name}: ${error.description}`);
        throw error;
      }
    }
    if (name === 'PERSONAL_PHOTO') changes.columns.personal_photo = path;
    else changes.profile[name] = path;
  }
}

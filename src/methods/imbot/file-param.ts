/**
 * A file param as Bitrix24 takes it (b24restdocs api-reference/files/how-to-upload-files.md): a Base64 string, or a
 * `[name, base64]` pair (what a multipart upload becomes). A `data:…;base64,` prefix is tolerated. Undefined when
 * the value holds no Base64 text.
 */
export function fileContent(raw: unknown): Buffer | undefined {
  let value = raw;
  if (Array.isArray(raw)) value = raw[1];
  else if (raw && typeof raw === 'object') value = (raw as Record<string, unknown>)['1'];
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** The REQUEST_TOO_LARGE description: says what the limit is and which setting raises it. */
export function tooLargeDescription(limit: number): string {
  return `Request body is larger than ${limit} bytes (raise B24_BODY_LIMIT to accept it)`;
}

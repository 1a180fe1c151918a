import { timeBlock } from '../../wire/envelope.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { type Params, upperKeys } from '../../wire/params/nest.ts';
import { defineMethod, type InvokeOutcome } from '../define.ts';
import { type BatchSoFar, parseCommand, phpArray, resolveReferences } from './batch-commands.ts';

/**
 * b24restdocs settings/how-to-call-rest-api/batch.md: at most 50 commands per call; each one past the 50th is not
 * run and answers ERROR_BATCH_LENGTH_EXCEEDED in `result_error` (the page lists the code among the sub-request
 * errors), as a portal answers them (docs/decisions.md).
 */
export const BATCH_MAX_LENGTH = 50;

function answerTooLarge(limit: number): ApiError {
  return new ApiError(
    'ERROR_BATCH_LENGTH_EXCEEDED',
    `The batch's answers exceed ${limit} characters (B24_BATCH_ANSWER_LIMIT): send fewer commands or smaller pages`,
  );
}

/**
 * Runs the first 50 commands in order as the same caller; each answer lands in one of five maps keyed by command id.
 * Always HTTP 200, even when every command failed; only the outer call passes the rate limiter.
 */
export default defineMethod({
  name: 'batch',
  scope: 'basic',
  batch: false, // rest 24.0.0: no batch inside batch (ERROR_BATCH_METHOD_NOT_ALLOWED)
  params: {},
  async handler({ raw, caller }, { invoke, config }) {
    const query = upperKeys(raw); // the platform reads CMD and HALT in any case
    const { HALT: halt } = bindParams({ HALT: p.bool().optional() }, query);
    const cmd = query.CMD;
    if (cmd !== undefined && cmd !== null && cmd !== '' && typeof cmd !== 'object') {
      throw new ApiError('INVALID_REQUEST', 'Parameter cmd must be a list or a map of commands');
    }
    const commands: [string, unknown][] = Array.isArray(cmd)
      ? cmd.map((entry, i) => [String(i), entry])
      : Object.entries((cmd as Params | null | undefined) || {});

    const soFar: BatchSoFar = { result: {}, next: {}, total: {}, time: {}, error: {} };
    const out: Record<keyof BatchSoFar, [string, unknown][]> = { result: [], next: [], total: [], time: [], error: [] };
    const put = (map: keyof BatchSoFar, key: string, value: unknown) => {
      soFar[map][key] = value;
      out[map].push([key, value]);
    };
    // The answers added up stay under B24_BATCH_ANSWER_LIMIT (docs/decisions.md): 50 commands of large pages would
    // otherwise build one answer of gigabytes.
    let size = 0;
    for (const [index, [key, entry]] of commands.entries()) {
      let outcome: InvokeOutcome;
      try {
        if (index >= BATCH_MAX_LENGTH) throw new ApiError('ERROR_BATCH_LENGTH_EXCEEDED');
        if (size > config.batchAnswerLimit) throw answerTooLarge(config.batchAnswerLimit);
        const command = parseCommand(entry);
        outcome = await invoke(command.method, resolveReferences(command.params, soFar) as Params, caller);
        if (outcome.ok) {
          size += JSON.stringify(outcome.result)?.length ?? 0;
          if (size > config.batchAnswerLimit) throw answerTooLarge(config.batchAnswerLimit);
        }
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        outcome = { ok: false, error: error.code, error_description: error.description, status: error.status };
      }
      if (!outcome.ok) {
        put('error', key, { error: outcome.error, error_description: outcome.error_description });
        if (halt) break;
        continue;
      }
      put('result', key, outcome.result);
      if (outcome.total !== undefined) put('total', key, outcome.total);
      if (outcome.next !== undefined) put('next', key, outcome.next);
      put('time', key, timeBlock(outcome.time));
    }
    return {
      result: phpArray(out.result),
      result_error: phpArray(out.error),
      result_total: phpArray(out.total),
      result_next: phpArray(out.next),
      result_time: phpArray(out.time),
    };
  },
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/wire/errors.ts';
import { bindParams } from '../../src/wire/params/bind.ts';
import { p } from '../../src/wire/params/coerce.ts';

function failure(run: () => unknown): { code: string; description: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return { code: error.code, description: error.description };
  }
  assert.fail('expected the binder to refuse');
}

// The one param binder: v1 methods report a param's own code, v2 controllers error 100 in PHP's wording.
describe('wire: param binder', () => {
  const shape = {
    BOT_ID: p.id().invalid('BOT_ID_ERROR', 'Bot not found'),
    TEXT: p.string().missing('MESSAGE_EMPTY'),
    URGENT: p.bool().default(false),
    TAGS: p.stringList().optional(),
  };

  it('coerces form strings and JSON values alike, applies defaults, leaves optional ones out', () => {
    assert.deepEqual(bindParams(shape, { BOT_ID: '7', TEXT: 5, TAGS: { 0: 'a', 1: 'b' } }), {
      BOT_ID: 7,
      TEXT: '5',
      URGENT: false,
      TAGS: ['a', 'b'],
    });
    assert.deepEqual(bindParams(shape, { BOT_ID: 7, TEXT: 'x', URGENT: 'Y' }), { BOT_ID: 7, TEXT: 'x', URGENT: true });
  });

  it('rest: the first failing param in declaration order decides, with its own code', () => {
    assert.equal(failure(() => bindParams(shape, { BOT_ID: '0' })).code, 'BOT_ID_ERROR');
    assert.equal(failure(() => bindParams(shape, { BOT_ID: '1', TEXT: '' })).code, 'MESSAGE_EMPTY');
    assert.deepEqual(
      failure(() => bindParams(shape, { BOT_ID: '1', TEXT: 'x', URGENT: 'maybe' })),
      { code: 'INVALID_REQUEST', description: 'Parameter URGENT has wrong type' },
    );
  });

  it('controller: error 100 naming the parameter and its PHP type', () => {
    const args = { dialogId: p.string(), fileId: p.int(), fields: p.object().optional() };
    assert.deepEqual(
      failure(() => bindParams(args, { fileId: 1 }, 'controller')),
      { code: '100', description: 'Could not find value for parameter {dialogId}' },
    );
    assert.deepEqual(
      failure(() => bindParams(args, { dialogId: 'chat1', fileId: 'x' }, 'controller')),
      { code: '100', description: 'Invalid value x to match with parameter {fileId}. Should be value of type int.' },
    );
    assert.deepEqual(
      failure(() => bindParams(args, { dialogId: 'chat1', fileId: 2, fields: ['a'] }, 'controller')),
      {
        code: '100',
        description: 'Invalid value ["a"] to match with parameter {fields}. Should be value of type array.',
      },
    );
  });
});

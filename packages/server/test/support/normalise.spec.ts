import { encodeCursor } from '../../src/common/pagination';
import { toGlobalId } from '../../src/common/global-id';
import { Normaliser } from './normalise';

const STATEMENT = '5f0c1e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const SIGNATURE = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const STRANGER = 'ffffffff-0000-4000-8000-000000000000';

describe('the golden answers normaliser', () => {
  const normaliser = new Normaliser(
    new Map([
      [STATEMENT, 'Statement unga75-c3-xinjiang-germany'],
      [SIGNATURE, 'Signature unga75-c3-xinjiang-germany/fra'],
    ]),
  );

  it('names global ids, cursors and bare uuids by the records, and replaces timestamps', () => {
    const answer = {
      data: {
        statement: {
          id: toGlobalId('Statement', STATEMENT),
          createdAt: '2026-12-03T14:06:46.123Z',
          signatures: {
            edges: [{ cursor: encodeCursor([3, SIGNATURE]) }],
            pageInfo: { endCursor: encodeCursor(['2020-10-06', STATEMENT]), startCursor: null },
          },
          revisions: { nodes: [{ at: '2026-12-03T14:06:46.123456+00:00', after: { id: SIGNATURE, statement_id: STATEMENT, updated_at: '2026-12-03 14:06:46.12+00' } }] },
        },
      },
    };
    expect(JSON.parse(normaliser.response(JSON.stringify(answer)))).toEqual({
      data: {
        statement: {
          id: '«id Statement of Statement unga75-c3-xinjiang-germany»',
          createdAt: '«timestamp»',
          signatures: {
            edges: [{ cursor: '«cursor [3,"«Signature unga75-c3-xinjiang-germany/fra»"]»' }],
            pageInfo: { endCursor: '«cursor ["2020-10-06","«Statement unga75-c3-xinjiang-germany»"]»', startCursor: null },
          },
          revisions: {
            nodes: [
              {
                at: '«timestamp»',
                after: { id: '«Signature unga75-c3-xinjiang-germany/fra»', statement_id: '«Statement unga75-c3-xinjiang-germany»', updated_at: '«timestamp»' },
              },
            ],
          },
        },
      },
    });
  });

  it('replaces ids inside texts (error messages) and names unknown uuids as such', () => {
    const gid = toGlobalId('Signature', SIGNATURE);
    expect(normaliser.text(`"${gid}" is not a Statement id`)).toBe('"«id Signature of Signature unga75-c3-xinjiang-germany/fra»" is not a Statement id');
    expect(normaliser.text(`no record ${STRANGER}`)).toBe(`no record «unknown uuid ${STRANGER}»`);
  });

  it('keeps everything else as it is: keys in their order, lists in theirs, numbers, dates, words and keys', () => {
    const text = JSON.stringify({ b: 1, a: [3, 1, 2], rank: 0.0607927, date: '2021-06', key: 'unga75-c3-xinjiang-germany', word: 'Abcdefghijkl', n: null });
    expect(normaliser.response(text)).toBe(text);
    expect(normaliser.response('{ "z" : 1 , "y" : [ 2 ] }')).toBe('{"z":1,"y":[2]}');
  });
});

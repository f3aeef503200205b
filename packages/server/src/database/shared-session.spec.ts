import { NotificationScanner } from './shared-session';

/** A backend message: type byte, Int32 length (counting itself), body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function notification(channel: string, payload: string): Buffer {
  const pid = Buffer.alloc(4);
  pid.writeInt32BE(42);
  return message('A', Buffer.concat([pid, Buffer.from(`${channel}\0${payload}\0`)]));
}

const commandComplete = message('C', Buffer.from('COMMIT\0'));
const readyForQuery = message('Z', Buffer.from('I'));
// A row whose bytes look like a NotificationResponse: it must be skipped by its length, never read.
const dataRow = message('D', Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 30]), notification('not_a_channel', 'in a row').subarray(0, 30)]));
const empty = message('I', Buffer.alloc(0));

function scan(chunks: Buffer[]): [string, string][] {
  const found: [string, string][] = [];
  const scanner = new NotificationScanner((channel, payload) => found.push([channel, payload]));
  for (const chunk of chunks) scanner.feed(chunk);
  return found;
}

describe('NotificationScanner', () => {
  const stream = Buffer.concat([dataRow, commandComplete, notification('jointly_changes', ''), empty, notification('other', 'p'), readyForQuery]);
  const expected = [
    ['jointly_changes', ''],
    ['other', 'p'],
  ];

  it('finds the notifications among other messages, in order', () => {
    expect(scan([stream])).toEqual(expected);
  });

  it('finds them however the stream is split into chunks', () => {
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b += 7) {
        expect(scan([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)])).toEqual(expected);
      }
    }
    expect(scan([...stream].map((byte) => Buffer.from([byte])))).toEqual(expected);
  });

  it('finds nothing in a stream without notifications', () => {
    expect(scan([Buffer.concat([dataRow, commandComplete, empty, readyForQuery])])).toEqual([]);
  });
});

import type { RawJson as RawJsonHolder } from '../modules/kit/context';
import { randomUUID } from 'node:crypto';

/**
 * JSON texts the database wrote, carried through Apollo's response as placeholders and written into
 * the response body as they are: the answer is never parsed in JavaScript and built again. A
 * placeholder holds a random nonce of the request, so no value of the archive can look like one.
 */
export class RawJson implements RawJsonHolder {
  private nonce = '';
  private readonly texts: string[] = [];

  /** A string that stands for `text` in the result until `splice`. */
  hold(text: string): string {
    // Drawn when first needed (randomUUID takes from a pool of entropy: no system call per request).
    if (!this.nonce) this.nonce = randomUUID();
    this.texts.push(text);
    return `jointly-raw:${this.nonce}:${this.texts.length - 1}`;
  }

  /** The response body with every placeholder (a JSON string) replaced by its text. */
  splice(body: string): string {
    let out = body;
    this.texts.forEach((text, i) => {
      out = out.replace(`"jointly-raw:${this.nonce}:${i}"`, () => text);
    });
    return out;
  }
}

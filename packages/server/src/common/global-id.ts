import { AppError } from './errors';

/** Node types and their id prefixes. The version lets the id format change without breaking stored ids. */
export type NodeType = 'Statement' | 'Signature' | 'Signatory' | 'Source' | 'Person';

const VERSION = 'v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque global id: base64url of `Statement:v1:<uuid>`. */
export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${VERSION}:${id}`).toString('base64url');
}

/** Decodes a global id, checking its type when one is expected. */
/** The id a global id of `type` names, or null for anything else (a write's argument: NOT_FOUND, not an error). */
export function idOfGlobalId(globalId: string, type: NodeType): string | null {
  try {
    return fromGlobalId(globalId, type).id;
  } catch {
    return null;
  }
}

export function fromGlobalId(globalId: string, expected?: NodeType): { type: NodeType; id: string } {
  const [type, version, id] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  if (version !== VERSION || !type || !id || !UUID.test(id) || (expected && type !== expected)) {
    throw new AppError('BAD_USER_INPUT', `"${globalId}" is not ${expected ? `a ${expected} id` : 'a valid id'}`);
  }
  return { type: type as NodeType, id };
}

import { Kind, parse, type DocumentNode } from 'graphql';

/** Requests above this many bytes (body plus query string) are never answered from, nor kept in, the response cache. */
export const MAX_CACHED_REQUEST_BYTES = 64 * 1024;

/** Documents whose operations' variable names are remembered (least recently used dropped). */
const REMEMBERED_DOCUMENTS = 500;

/**
 * The variables each operation of a document declares, by operation name ('' for the only one).
 * Remembered per document text, so that a cache hit does not parse the document again.
 */
export class DeclaredVariables {
  private readonly documents = new Map<string, Map<string, string[]> | null>();

  /** `maxTokens` (JOINTLY_MAX_TOKENS): a longer document is not parsed (Apollo refuses it: nothing to cache); without it, documents are bounded by MAX_CACHED_REQUEST_BYTES only. */
  constructor(private readonly maxTokens?: number) {}

  /** The names the chosen operation declares; null when the document does not parse or has no such operation. */
  of(query: string, operationName: string | undefined): string[] | null {
    let operations = this.documents.get(query);
    if (operations === undefined) {
      operations = declared(query, this.maxTokens);
      if (this.documents.size >= REMEMBERED_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
    } else this.documents.delete(query);
    this.documents.set(query, operations);
    if (!operations) return null;
    if (operationName !== undefined) return operations.get(operationName) ?? null;
    return operations.size === 1 ? operations.values().next().value! : null;
  }
}

function declared(query: string, maxTokens: number | undefined): Map<string, string[]> | null {
  let document: DocumentNode;
  try {
    document = parse(query, maxTokens === undefined ? { noLocation: true } : { noLocation: true, maxTokens });
  } catch {
    return null;
  }
  const operations = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    operations.set(definition.name?.value ?? '', (definition.variableDefinitions ?? []).map((v) => v.variable.name.value));
  }
  return operations;
}

/** What a GraphQL request asks: its document, operation, variables and extensions, from a GET's query string or a JSON body. */
export interface RequestParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * The response cache's key: the method, the response type, the document, the operation and only
 * the variables that operation declares — others do not change the answer (graphql-js ignores them),
 * so they must neither split the cache nor fill it. Undefined when the request cannot be cached.
 */
export function cacheKey(method: string, responseType: string, params: RequestParams, declaredVariables: DeclaredVariables): string | undefined {
  const { query, operationName } = params;
  if (typeof query !== 'string') return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  const names = declaredVariables.of(query, operationName ?? undefined);
  if (!names) return undefined;
  const variables = params.variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return undefined;
  const used: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(variables, name)) used[name] = (variables as Record<string, unknown>)[name];
  return JSON.stringify([method, responseType, query, operationName ?? null, used, params.extensions ?? null]);
}

/** A GET's parameters from its query string; undefined when its variables or extensions are not JSON. */
export function getParams(search: URLSearchParams): RequestParams | undefined {
  const json = (name: string): unknown => {
    const raw = search.get(name);
    return raw === null || raw === '' ? undefined : JSON.parse(raw);
  };
  try {
    return { query: search.get('query') ?? undefined, operationName: search.get('operationName') ?? undefined, variables: json('variables'), extensions: json('extensions') };
  } catch {
    return undefined;
  }
}

import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { badInput } from '../../common/errors';
import { Change } from './change.type';
import type { ChangeFilter, ChangeStream } from './change-stream';

/** What a subscription's context carries: the server's change stream (see http/subscriptions). */
export interface SubscriptionContext {
  changes: ChangeStream;
}

const MAX_KEY = 200;

function stream(data: SubscribeResolverData<unknown, Record<string, unknown>, unknown>, filter: ChangeFilter): AsyncIterable<Change> {
  for (const [name, value] of Object.entries(data.args)) {
    if (typeof value === 'string' && value.length > MAX_KEY) throw badInput(`${name} is longer than ${MAX_KEY} characters`, { argument: name });
  }
  const context = data.context as Partial<SubscriptionContext>;
  if (!context.changes) throw new Error('subscriptions are answered over WebSocket (graphql-transport-ws) at /graphql');
  return context.changes.subscribe(filter);
}

const given = (args: Record<string, unknown>, name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);

/**
 * Live changes over WebSocket (graphql-ws): each event is a Change as `changes` lists it, sent as
 * soon as the server hears of the commit. A subscriber that misses events (it was away, or fell
 * over 1,000 behind and was ended) catches up with `changes(after:)`.
 */
@Resolver()
export class ChangeSubscriptions {
  @Subscription(() => Change, {
    description: 'Every committed change to a statement (itself, its signatures, evidence and counts); only that statement’s when given its id or key.',
    subscribe: (data) =>
      stream(data, { recordType: 'Statement', ...(given(data.args, 'key') !== undefined && { recordKey: given(data.args, 'key') }), ...(given(data.args, 'id') !== undefined && { recordId: given(data.args, 'id') }) }),
  })
  statementChanged(
    @Root() change: Change,
    @Arg('id', () => ID, { nullable: true, description: 'Only this statement (its global id; its deletion is told too).' }) _id?: string,
    @Arg('key', () => String, { nullable: true, description: 'Only this statement (its key, while it stands).' }) _key?: string,
  ): Change {
    return change;
  }

  @Subscription(() => Change, {
    description: 'Every committed change to a signature (added, changed, withdrawn, removed); only those of one statement when given its id or key.',
    subscribe: (data) =>
      stream(data, {
        table: 'signature',
        ...(given(data.args, 'statementKey') !== undefined && { recordKey: given(data.args, 'statementKey') }),
        ...(given(data.args, 'statementId') !== undefined && { recordId: given(data.args, 'statementId') }),
      }),
  })
  signatureChanged(
    @Root() change: Change,
    @Arg('statementId', () => ID, { nullable: true, description: 'Only the signatures of this statement (its global id).' }) _statementId?: string,
    @Arg('statementKey', () => String, { nullable: true, description: 'Only the signatures of this statement (its key).' }) _statementKey?: string,
  ): Change {
    return change;
  }
}

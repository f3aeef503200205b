import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { VersionedRefInput } from '../statement/statement-mutation.input';
import { CreateSourceInput, UpdateSourceInput } from './source-mutation.input';
import { SourceMutations } from './source-mutation.service';
import { SourcePayload } from './source-mutation.type';
import { Source } from './source.type';

const mutations = new SourceMutations();

const sourcePayload = async (p: Promise<{ result?: Source; errors: SourcePayload['errors'] }>): Promise<SourcePayload> => {
  const { result, errors } = await p;
  return Object.assign(new SourcePayload(), { source: result ?? null, errors });
};

@Resolver(() => Source)
export class SourceMutationResolver {
  @Mutation(() => SourcePayload, { description: 'Adds a source (editor), checked as in imports.' })
  createSource(@Ctx() ctx: RequestContext, @Arg('input', () => CreateSourceInput, { description: 'The new source.' }) input: CreateSourceInput) {
    return sourcePayload(mutations.create(ctx, input));
  }

  @Mutation(() => SourcePayload, {
    description: 'Changes a source at the version you read (editor); a stale version is a CONFLICT. A new body must still hold every quote cited from it.',
  })
  updateSource(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateSourceInput, { description: 'The changes.' }) input: UpdateSourceInput) {
    return sourcePayload(mutations.update(ctx, input));
  }

  @Mutation(() => SourcePayload, {
    description: 'Deletes a source (soft: restoreSource brings it back) (admin); refused while live statements cite it.',
  })
  deleteSource(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return sourcePayload(mutations.delete(ctx, input));
  }

  @Mutation(() => SourcePayload, { description: 'Brings a deleted source back (admin).' })
  restoreSource(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return sourcePayload(mutations.restore(ctx, input));
  }
}

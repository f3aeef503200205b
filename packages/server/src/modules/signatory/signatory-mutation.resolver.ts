import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { VersionedRefInput } from '../statement/statement-mutation.input';
import { CreateSignatoryInput, UpdateSignatoryInput } from './signatory-mutation.input';
import { SignatoryMutations } from './signatory-mutation.service';
import { SignatoryPayload } from './signatory-mutation.type';
import { Signatory } from './signatory.type';

const mutations = new SignatoryMutations();

const signatoryPayload = async (p: Promise<{ result?: Signatory; errors: SignatoryPayload['errors'] }>): Promise<SignatoryPayload> => {
  const { result, errors } = await p;
  return Object.assign(new SignatoryPayload(), { signatory: result ?? null, errors });
};

@Resolver(() => Signatory)
export class SignatoryMutationResolver {
  @Mutation(() => SignatoryPayload, {
    description: 'Adds an organisation, group or NGO (editor); members resolve as in imports. States are built in and cannot be created.',
  })
  createSignatory(@Ctx() ctx: RequestContext, @Arg('input', () => CreateSignatoryInput, { description: 'The new signatory.' }) input: CreateSignatoryInput) {
    return signatoryPayload(mutations.create(ctx, input));
  }

  @Mutation(() => SignatoryPayload, {
    description: 'Changes a signatory at the version you read (editor); a stale version is a CONFLICT. Of a built-in state only the aliases can change.',
  })
  updateSignatory(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateSignatoryInput, { description: 'The changes.' }) input: UpdateSignatoryInput) {
    return signatoryPayload(mutations.update(ctx, input));
  }

  @Mutation(() => SignatoryPayload, {
    description: 'Deletes a signatory (soft: restoreSignatory brings it back) (admin); refused for built-in states and while live statements name it.',
  })
  deleteSignatory(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return signatoryPayload(mutations.delete(ctx, input));
  }

  @Mutation(() => SignatoryPayload, { description: 'Brings a deleted signatory back (admin).' })
  restoreSignatory(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return signatoryPayload(mutations.restore(ctx, input));
  }
}

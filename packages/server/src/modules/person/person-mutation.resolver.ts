import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { VersionedRefInput } from '../statement/statement-mutation.input';
import { CreatePersonInput, UpdatePersonInput } from './person-mutation.input';
import { PersonMutations } from './person-mutation.service';
import { PersonPayload } from './person-mutation.type';
import { Person } from './person.type';

const mutations = new PersonMutations();

const personPayload = async (p: Promise<{ result?: Person; errors: PersonPayload['errors'] }>): Promise<PersonPayload> => {
  const { result, errors } = await p;
  return Object.assign(new PersonPayload(), { person: result ?? null, errors });
};

@Resolver(() => Person)
export class PersonMutationResolver {
  @Mutation(() => PersonPayload, { description: 'Adds a person (editor). Role signatories resolve as in imports; nothing is guessed.' })
  createPerson(@Ctx() ctx: RequestContext, @Arg('input', () => CreatePersonInput, { description: 'The new person.' }) input: CreatePersonInput) {
    return personPayload(mutations.create(ctx, input));
  }

  @Mutation(() => PersonPayload, {
    description: 'Changes a person at the version you read (editor); a stale version is a CONFLICT. Roles given replace all their roles.',
  })
  updatePerson(@Ctx() ctx: RequestContext, @Arg('input', () => UpdatePersonInput, { description: 'The changes.' }) input: UpdatePersonInput) {
    return personPayload(mutations.update(ctx, input));
  }

  @Mutation(() => PersonPayload, {
    description: 'Deletes a person (soft: restorePerson brings them back) (admin); refused while live statements name them as deliveredBy.',
  })
  deletePerson(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return personPayload(mutations.delete(ctx, input));
  }

  @Mutation(() => PersonPayload, { description: 'Brings a deleted person back (admin).' })
  restorePerson(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return personPayload(mutations.restore(ctx, input));
  }
}

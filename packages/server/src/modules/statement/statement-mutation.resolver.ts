import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import {
  AddSignatureInput,
  CreateStatementInput,
  UpdateStatementInput,
  VersionedRefInput,
  WithdrawSignatureInput,
} from './statement-mutation.input';
import { StatementMutations } from './statement-mutation.service';
import { SignaturePayload, StatementPayload } from './statement-mutation.type';
import { Signature, Statement } from './statement.type';

const mutations = new StatementMutations();

const statementPayload = async (p: Promise<{ result?: Statement; errors: StatementPayload['errors'] }>): Promise<StatementPayload> => {
  const { result, errors } = await p;
  return Object.assign(new StatementPayload(), { statement: result ?? null, errors });
};
const signaturePayload = async (p: Promise<{ result?: Signature; errors: SignaturePayload['errors'] }>): Promise<SignaturePayload> => {
  const { result, errors } = await p;
  return Object.assign(new SignaturePayload(), { signature: result ?? null, errors });
};

@Resolver(() => Statement)
export class StatementMutationResolver {
  @Mutation(() => StatementPayload, { description: 'Adds a statement (editor). Names resolve as in imports; nothing is guessed.' })
  createStatement(@Ctx() ctx: RequestContext, @Arg('input', () => CreateStatementInput, { description: 'The new statement.' }) input: CreateStatementInput) {
    return statementPayload(mutations.create(ctx, input));
  }

  @Mutation(() => StatementPayload, { description: 'Changes a statement at the version you read (editor); a stale version is a CONFLICT.' })
  updateStatement(@Ctx() ctx: RequestContext, @Arg('input', () => UpdateStatementInput, { description: 'The changes.' }) input: UpdateStatementInput) {
    return statementPayload(mutations.update(ctx, input));
  }

  @Mutation(() => StatementPayload, { description: 'Deletes a statement (soft: restoreStatement brings it back) (admin).' })
  deleteStatement(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return statementPayload(mutations.delete(ctx, input));
  }

  @Mutation(() => StatementPayload, { description: 'Brings a deleted statement back (admin).' })
  restoreStatement(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return statementPayload(mutations.restore(ctx, input));
  }

  @Mutation(() => SignaturePayload, { description: "Adds a signatory to the end of a statement's list (editor)." })
  addSignature(@Ctx() ctx: RequestContext, @Arg('input', () => AddSignatureInput, { description: 'The signature.' }) input: AddSignatureInput) {
    return signaturePayload(mutations.addSignature(ctx, input));
  }

  @Mutation(() => SignaturePayload, { description: 'Marks a signature as withdrawn (editor).' })
  withdrawSignature(@Ctx() ctx: RequestContext, @Arg('input', () => WithdrawSignatureInput, { description: 'Which, and when.' }) input: WithdrawSignatureInput) {
    return signaturePayload(mutations.withdrawSignature(ctx, input));
  }

  @Mutation(() => SignaturePayload, { description: 'Takes a signature off the list (editor); its history keeps it.' })
  removeSignature(@Ctx() ctx: RequestContext, @Arg('input', () => VersionedRefInput, { description: 'Which, at which version.' }) input: VersionedRefInput) {
    return signaturePayload(mutations.removeSignature(ctx, input));
  }
}

import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../kit/context';
import { ImportPayload } from './curation.type';
import { CurationService, MAX_BUNDLE_BYTES } from './curation.service';

const curation = new CurationService();

@Resolver()
export class CurationResolver {
  @Mutation(() => ImportPayload, {
    description: `Imports a bundle (jointly-bundle/1, at most ${MAX_BUNDLE_BYTES / 1_000_000} MB) in one transaction: all of it or nothing (admin).`,
  })
  importBundle(
    @Ctx() ctx: RequestContext,
    @Arg('bundle', () => GraphQLJSON, { description: 'The bundle, as in a .json bundle file.' }) bundle: unknown,
    @Arg('dryRun', () => Boolean, { defaultValue: false, description: 'Check and count, then write nothing.' }) dryRun: boolean,
  ): Promise<ImportPayload> {
    return curation.importBundle(ctx, bundle, dryRun);
  }
}

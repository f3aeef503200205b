import type { SelectQueryBuilder } from 'typeorm';
import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { keysetPage, pageInfo, pageRequest, positions, toPage, type PageArgs } from '../../common/pagination';
import { toSignatory, type Signatory } from '../signatory/signatory.type';
import { statementConnection, statementListLoaders, type StatementLists } from '../source/source.service';
import type { Statement } from '../statement/statement.type';
import { PersonEntity } from './person.entity';
import type { PersonFilter } from './person.input';
import { PersonConnection, toPerson, toPersonRole, type Person, type PersonRole } from './person.type';

/** The statements each person delivered. */
const DELIVERED_STATEMENTS = `SELECT st.delivered_by_id AS parent_id, st.id AS statement_id FROM statement st WHERE st.deleted_at IS NULL AND st.delivered_by_id = ANY($1::uuid[])`;

/** Built lazily, once per request (the request context is the key, so nothing outlives the request). */
const deliveredStatementLists = new WeakMap<RequestContext, StatementLists>();

function statementsByDeliveredById(ctx: RequestContext): StatementLists {
  let lists = deliveredStatementLists.get(ctx);
  if (!lists) deliveredStatementLists.set(ctx, (lists = statementListLoaders(ctx, DELIVERED_STATEMENTS)));
  return lists;
}

/** `LIKE` pattern text matching itself only. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Reads people and their roles. Takes the request context first; reaches the database only through it. */
export class PersonService {
  /** By global id or by bundle key; exactly one of them. Unknown is null. */
  async find(ctx: RequestContext, id: string | null | undefined, key: string | null | undefined): Promise<Person | null> {
    if ((id == null) === (key == null)) throw badInput('give exactly one of id and key', { argument: id == null ? 'id' : 'key' });
    const row =
      id != null
        ? await ctx.loaders.personById.load(fromGlobalId(id, 'Person').id)
        : await ctx.loaders.personByKey.load(key!);
    return row && toPerson(row);
  }

  /** By name, then id; keyset-paginated both ways. */
  async list(ctx: RequestContext, args: PageArgs, filter: PersonFilter | null | undefined): Promise<ConnectionShape<Person>> {
    const request = pageRequest(args, positions.textAndId);
    const rows = await keysetPage(this.filtered(ctx, filter), ['p.name', 'p.id'], 'ASC', request);
    const page = toPage(rows, request, ({ entity }) => [entity.name, entity.id]);
    return new PersonConnection(
      page.connect(({ entity }) => toPerson(entity)),
      pageInfo(page),
      () => this.filtered(ctx, filter).getCount(),
    );
  }

  /** The person's titles, in the order the archive lists them. */
  async roles(ctx: RequestContext, person: Person): Promise<PersonRole[]> {
    return (await ctx.loaders.rolesByPersonId.load(person.dbId)).map(toPersonRole);
  }

  /** The signatory a role represented, if any. */
  async roleSignatory(ctx: RequestContext, role: PersonRole): Promise<Signatory | null> {
    if (role.signatoryId === null) return null;
    const row = await ctx.loaders.signatoryById.load(role.signatoryId);
    return row && toSignatory(row);
  }

  /** The statements the person delivered, newest first; batched over every person of the request. */
  statements(ctx: RequestContext, person: Person, args: PageArgs): Promise<ConnectionShape<Statement>> {
    return statementConnection(ctx, statementsByDeliveredById(ctx), person.dbId, args);
  }

  private filtered(ctx: RequestContext, filter: PersonFilter | null | undefined): SelectQueryBuilder<PersonEntity> {
    const qb = ctx.em.getRepository(PersonEntity).createQueryBuilder('p');
    const search = filter?.search?.trim();
    if (search) {
      // Full text (stemmed, accent-insensitive), or the start of any word of the name or an alias.
      qb.andWhere(
        `(p.searchVector @@ websearch_to_tsquery('jointly', :search)
          OR (' ' || translate(lower(unaccent(concat_ws(' ', p.name, array_to_string(p.aliases, ' ')))), '-', ' '))
             LIKE ('% ' || lower(unaccent(:wordStart)) || '%'))`,
        { search, wordStart: likeLiteral(search) },
      );
    }
    return qb;
  }
}

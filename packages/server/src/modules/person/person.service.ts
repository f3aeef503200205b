import type { ConnectionShape } from '../../common/connection';
import type { RequestContext } from '../kit/context';
import { badInput } from '../../common/errors';
import { fromGlobalId } from '../../common/global-id';
import { pageInfo, pageRequest, positions, SqlParams, toPage, type PageArgs } from '../../common/pagination';
import { countRows, entityColumns, keysetRows, type ListSql } from '../../data/entity-rows';
import { toSignatory, type Signatory } from '../signatory/signatory.type';
import { statementConnection } from '../source/source.service';
import type { Statement } from '../statement/statement.type';
import { PersonEntity } from './person.entity';
import type { PersonFilter } from './person.input';
import { PersonConnection, toPerson, toPersonRole, type Person, type PersonRole } from './person.type';

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
    const list = this.filtered(filter);
    const rows = await keysetRows<PersonEntity>(ctx.em, list, entityColumns(ctx.em, PersonEntity, 'p'), ['p.name', 'p.id'], 'ASC', request);
    const page = toPage(rows, request, (row) => [row.name, row.id]);
    return new PersonConnection(page.connect((row) => toPerson(row)), pageInfo(page), () => countRows(ctx.em, list));
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

  /** The statements the person delivered, newest first. */
  statements(ctx: RequestContext, person: Person, args: PageArgs): Promise<ConnectionShape<Statement>> {
    return statementConnection(ctx, 'st.delivered_by_id = $1', person.dbId, args);
  }

  /** The people who stand and match `filter`, as person `p`. */
  private filtered(filter: PersonFilter | null | undefined): ListSql {
    const params = new SqlParams();
    const where = ['p.deleted_at IS NULL'];
    const search = filter?.search?.trim();
    if (search) {
      // Full text (stemmed, accent-insensitive), or the start of any word of the name or an alias.
      where.push(
        `(p.search_vector @@ websearch_to_tsquery('jointly', ${params.add(search)})
          OR (' ' || translate(lower(unaccent(concat_ws(' ', p.name, array_to_string(p.aliases, ' ')))), '-', ' '))
             LIKE ('% ' || lower(unaccent(${params.add(likeLiteral(search))})) || '%'))`,
      );
    }
    return { from: 'person p', where, values: params.values };
  }
}

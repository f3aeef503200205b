import DataLoader from 'dataloader';
import { In, type EntityManager, type FindOptionsSelect } from 'typeorm';
import { SourceEntity } from './source.entity';
import { PeekableLoader } from '../../common/peekable-loader';

/** Every selectable column but the body: a source's full text is loaded only when a query asks for it. */
function columnsWithoutBody(em: EntityManager): FindOptionsSelect<SourceEntity> {
  const columns = em.connection.getMetadata(SourceEntity).columns.filter((column) => column.isSelect && column.propertyName !== 'body');
  return Object.fromEntries(columns.map((column) => [column.propertyName, true])) as FindOptionsSelect<SourceEntity>;
}

export function sourceLoaders(em: EntityManager) {
  return {
    /** Sources without their `body` (undefined): see sourceBodyById. */
    sourceById: new PeekableLoader<string, SourceEntity | null>(async (ids) => {
      const rows = await em.getRepository(SourceEntity).find({ select: columnsWithoutBody(em), where: { id: In([...ids]) }, withDeleted: true });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** The full texts, for the sources whose `body` is asked for. */
    sourceBodyById: new DataLoader<string, string | null>(async (ids) => {
      const rows: { id: string; body: string | null }[] = await em.query('SELECT "id", "body" FROM "source" WHERE "id" = ANY($1::uuid[])', [[...ids]]);
      const byId = new Map(rows.map((r) => [r.id, r.body]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

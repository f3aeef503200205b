import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isPartialDate } from './partial-date';

/** A date known to the year, month or day: `2019`, `2019-07`, `2019-07-12`. */
export const PartialDateScalar = new GraphQLScalarType<string, string>({
  name: 'PartialDate',
  description: 'A date with its precision: YYYY, YYYY-MM or YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value === 'string' && isPartialDate(value)) return value;
    throw new GraphQLError(`PartialDate must be YYYY, YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(value)}`);
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && isPartialDate(ast.value)) return ast.value;
    throw new GraphQLError('PartialDate must be a string YYYY, YYYY-MM or YYYY-MM-DD');
  },
});

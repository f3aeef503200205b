/**
 * The operations the playground opens with, one tab each. Every one runs against the sample data
 * (see test/e2e/playground.e2e-spec.ts) and validates against schema/schema.graphql.
 */
export interface ExampleTab {
  readonly query: string;
}

/** How to send a write token: GraphiQL's headers editor takes JSON only, so the hint lives in a comment. */
const HEADERS_HINT = `# Jointly: joint statements at the UN, over GraphQL.
# Run a tab with ▶ (or Ctrl-Enter); the book icon at the
# top left opens the schema's documentation.
#
# Reading needs no token. To write (curation mutations),
# put a token in the Headers editor below, as JSON:
#   { "Authorization": "Bearer <token>" }
# (\`jointly token create --name NAME --role editor\`).
#`;

export const EXAMPLE_TABS: readonly ExampleTab[] = [
  {
    query: `${HEADERS_HINT}
# The 2021 statements on Xinjiang and who signed them:
# how many each claimed, how many the archive lists, and
# whether that list is COMPLETE, PARTIAL or UNPUBLISHED.
query XinjiangStatementsFrom2021 {
  statements(filter: { topic: "Xinjiang", dateFrom: "2021" }) {
    nodes {
      key
      title
      date
      claimedSignatoryCount
      listedSignatoryCount
      listStatus
      signatures(first: 100) {
        nodes {
          nameAsWritten
          signatory { name iso3 }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Two statements of 2020 on Xinjiang, one critical of
# China and one supportive: who signed both, only the
# first, only the second (each statement by key or id).
query CompareTwoStatements {
  compareStatements(a: "unga75-c3-xinjiang-germany", b: "unga75-c3-xinjiang-cuba") {
    both { name }
    onlyA { name }
    onlyB { name }
  }
}
`,
  },
  {
    query: `# Full-text search over statements, sources, signatories
# and people (web syntax: "a quoted phrase", -exclusion,
# or). Snippets are HTML, with <mark> around the matches.
query SearchUnfetteredAccess {
  search(query: "\\"unfettered access\\"") {
    nodes {
      rank
      snippet
      node {
        ... on Statement { key title }
        ... on Source { title }
      }
    }
  }
}
`,
  },
  {
    query: `# Which topics, forums and sessions there are, each with
# how many statements have it, most first. Give a filter
# (as for statements) to count only the statements it keeps.
query TopicsForumsAndSessions {
  statementFacets {
    topics { value count }
    forums { value count }
    sessions { forum session count }
  }
}
`,
  },
];

/** The query of a new tab (the + button). */
export const DEFAULT_QUERY = `${HEADERS_HINT}
# Type a query here; Ctrl-Space completes fields.
{
  statements(first: 10) {
    totalCount
    nodes { key title date }
  }
}
`;

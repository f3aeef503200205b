import { CONTENT_SECURITY_POLICY, prefersHtml } from './playground';

describe('prefersHtml: which GET /graphql is a browser opening the endpoint', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true], // Chromium, Firefox
    ['text/html', true],
    ['text/html;q=0.9, application/json;q=0.5', true],
  ])('%s → the playground', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });

  it.each([
    [undefined],
    [''],
    ['*/*'], // curl, fetch
    ['application/json'],
    ['application/graphql-response+json, application/json;q=0.9'],
    ['text/html, application/json'], // a tie goes to Apollo, as in Apollo's own negotiation
    ['text/html;q=0.5, application/json'],
    ['text/html;q=0, */*'],
    ['text/*;q=0.5, */*'],
  ])('%s → Apollo', (accept) => {
    expect(prefersHtml(accept)).toBe(false);
  });
});

describe('the playground page policy', () => {
  it('runs no inline script and no eval, and talks to this origin only', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d] as const));
    expect(directives.get('script-src')).toBe("script-src 'self'");
    expect(directives.get('connect-src')).toBe("connect-src 'self'");
    expect(directives.get('default-src')).toBe("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);
  });
});

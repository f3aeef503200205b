import { cleanSource, decodeEntities, htmlToText, isFurniture } from './clean';

describe('cleanSource', () => {
  it('takes the title and the date line out of a plain text and drops furniture and repeated titles', () => {
    const cleaned = cleanSource('!-- Google tag (gtag.js) -->\n\nA Title\n\nOctober 22, 2021\n\nA Title\nShare this article\n\nFirst   paragraph.\n\n\nSecond.\n');
    expect(cleaned).toEqual({ title: 'A Title', dateLine: 'October 22, 2021', body: 'October 22, 2021\n\nFirst paragraph.\n\nSecond.' });
  });

  it('reads HTML: scripts and navigation dropped, list items kept as lines', () => {
    const cleaned = cleanSource(
      '<html><head><title>T</title><script>var x = "<p>no</p>";</script></head><body><nav><a>Home</a></nav>' +
        '<h1>Joint statement</h1><p>Read by Canada &amp; others.</p><ul><li>Albania</li><li>Andorra</li></ul></body></html>',
    );
    expect(cleaned.title).toBe('Joint statement');
    expect(cleaned.body).toBe('Read by Canada & others.\n\n- Albania\n- Andorra');
  });

  it('knows furniture lines and character references', () => {
    expect(isFurniture('Subscribe to our newsletter')).toBe(true);
    expect(isFurniture('Subscribers to the statement included France and Spain, which called on China to act.')).toBe(false);
    expect(decodeEntities('C&ocirc;te d&#8217;Ivoire &#x26; co')).toBe('Côte d’Ivoire & co');
    expect(htmlToText('<p>a</p><p>b</p>').text.trim()).toBe('a\n\n\n\nb');
  });
});

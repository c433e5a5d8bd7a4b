"""Feeds the tests serve from a local HTTP server."""

from __future__ import annotations

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Blog Lumière Énergies</title>
  <link>https://lumiere.example/blog</link>
  <language>fr-FR</language>
  <item>
    <title>Lumière Énergies inaugure son parc solaire de Montpellier</title>
    <link>https://lumiere.example/blog/parc-solaire?utm_source=rss&amp;utm_medium=feed</link>
    <guid isPermaLink="false">blog-101</guid>
    <pubDate>Tue, 10 Nov 2026 09:00:00 +0100</pubDate>
    <author>presse@lumiere.example (Service presse)</author>
    <description>&lt;p&gt;Une belle réussite pour nos équipes.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>
    <media:thumbnail url="https://lumiere.example/img/parc.jpg"/>
  </item>
  <item>
    <title>Grève sur le site de Lyon : la direction refuse de négocier</title>
    <link>https://lumiere.example/blog/greve-lyon</link>
    <guid>blog-102</guid>
    <pubDate>Wed, 11 Nov 2026 10:00:00 +0100</pubDate>
    <description>Les salariés dénoncent des conditions de travail intenables.</description>
  </item>
</channel>
</rss>
""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Energy Transition Weekly</title>
  <id>urn:uuid:feed-1</id>
  <updated>2026-11-12T08:00:00Z</updated>
  <entry>
    <title type="html">Voltea &lt;em&gt;wins&lt;/em&gt; the innovation award</title>
    <link href="https://news.example/voltea-award"/>
    <id>urn:uuid:entry-1</id>
    <updated>2026-11-12T08:00:00Z</updated>
    <author><name>Jane Reporter</name></author>
    <summary type="html">&lt;p&gt;A great success for its recyclable battery.&lt;/p&gt;</summary>
  </entry>
</feed>
"""

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://press.example/rss">
    <title>Salle de presse</title>
    <link>https://press.example/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://press.example/cp-1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://press.example/cp-1">
    <title>Résultats annuels : le chiffre d'affaires progresse de 15 %</title>
    <link>https://press.example/cp-1</link>
    <dc:date>2026-11-09T12:00:00+01:00</dc:date>
    <description>Communiqué de presse.</description>
  </item>
</rdf:RDF>
""".encode()


def rss(items: str, *, header: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f"""{header}
<rss version="2.0"><channel><title>Test</title><link>https://t.example/</link>
{items}
</channel></rss>""".encode()


def item(
    title: str, *, link: str = "", guid: str = "", date: str = "", description: str = ""
) -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f"<guid>{guid}</guid>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if description:
        parts.append(f"<description>{description}</description>")
    return "<item>" + "".join(parts) + "</item>"

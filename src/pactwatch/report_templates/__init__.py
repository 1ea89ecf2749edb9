"""Templates of the briefing (Jinja2). Kept as Python strings so they ship with the package without package data.

``b`` is a ``pactwatch.report.Briefing``. The HTML one is rendered with autoescaping on; the Markdown one
passes every free text through the ``md`` filter, which escapes Markdown and HTML markup.
"""

MARKDOWN_TEMPLATE = """\
# {{ b.title | md }}

**Period:** {{ b.period }} · **statuses as of** {{ b.as_of or "—" }} · generated {{ b.generated }}

## Summary

- Documents cited: {{ b.counts.documents }}
- Events: {{ b.counts.events }}
- Commitments: {{ b.counts.commitments }} (met {{ b.statuses.met }}, missed {{ b.statuses.missed }}, \
pending {{ b.statuses.pending }}, unknown {{ b.statuses.unknown }}; overdue {{ b.counts.overdue }})
- Key figures: {{ b.counts.claims }} ({{ b.counts.conflicting }} conflicting)
{% if b.headlines %}

Headline developments:

{% for line in b.headlines %}
- {{ line | md }}
{% endfor %}
{% endif %}

## Timeline

{% if b.timeline %}
| Date | Type | What happened | Where | Sources |
|---|---|---|---|---|
{% for t in b.timeline %}
| {{ t.date }} | {{ t.event.type }}{% if t.event.mode %} ({{ t.event.mode | md }}){% endif %} \
| {{ event_line(t.event) | md }} | {{ (t.event.location.place if t.event.location else "") | md }} \
| {{ t.sources | refs }} |
{% endfor %}
{% else %}
No events of the pair in this period.
{% endif %}

## Commitments

{% for e in b.commitments %}
### {{ loop.index }}. {{ e.commitment.statement | md }}

- **Status: {{ e.commitment.status }}**{% if e.overdue %} (overdue){% endif %}\
{% if e.reviewed %} (set by an analyst){% endif %}

- Kind: {{ e.commitment.kind }} · parties: {{ e.commitment.parties | join(", ") }}\
{% if e.made %} · made {{ e.made }}{% endif %}{% if e.due %} · due {{ e.due }}{% endif %}

{% if e.progress %}
- Progress: {{ e.progress | md }}
{% endif %}
{% if e.cadence %}
- Cadence: {{ e.cadence | md }}
{% endif %}
{% if e.judgment %}
- Judgment: {{ e.judgment | md }}
{% endif %}
{% if e.evidence %}
- Evidence:
{% for q in e.evidence %}
  - "{{ q.text | md }}" [{{ q.source }}]
{% endfor %}
{% endif %}
- Sources: {{ e.sources | refs }}

{% else %}
No commitments of the pair in this period.

{% endfor %}
## Key figures

{% if b.figures %}
| Subject | Value | Period | Corroboration | Other values reported | Sources |
|---|---|---|---|---|---|
{% for f in b.figures %}
| {{ f.claim.subject | md }} | {{ f.value | md }} | {{ f.period }} | {{ f.claim.corroboration }} \
| {{ f.others | join("; ") | md }} | {{ f.sources | refs }} |
{% endfor %}
{% else %}
No figures of the pair in this period.
{% endif %}

## Sources

{% for s in b.sources %}
- [{{ s.number }}] {{ s.label | md }} — {{ (s.document.outlet or "unknown outlet") | md }}, {{ s.date }}\
{% if s.link %}, <{{ s.link }}>{% endif %}

{% endfor %}
"""

HTML_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{{ b.title }}</title>
<style>
  :root { --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; --met: #1b7f3b; --missed: #b42318;
          --pending: #a15c00; --unknown: #5b6475; }
  * { box-sizing: border-box; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
         max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.25rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; margin-top: 2rem; }
  h3 { font-size: 1rem; margin: 0 0 .3rem; }
  .meta, .muted { color: var(--muted); font-size: .9rem; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .6rem; margin: 1rem 0; }
  .card { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .7rem; }
  .card b { display: block; font-size: 1.4rem; }
  table { border-collapse: collapse; width: 100%; font-size: .92rem; }
  th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); }
  th { background: #f3f5f8; }
  td:first-child { white-space: nowrap; }
  .scroll { overflow-x: auto; }
  .commitment { border: 1px solid var(--rule); border-left-width: 5px; border-radius: 6px; padding: .7rem .9rem;
                margin: .8rem 0; break-inside: avoid; }
  .commitment.met { border-left-color: var(--met); } .commitment.missed { border-left-color: var(--missed); }
  .commitment.pending { border-left-color: var(--pending); } .commitment.unknown { border-left-color: var(--unknown); }
  .status { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase;
            letter-spacing: .04em; color: #fff; border-radius: 3px; padding: .05rem .4rem; }
  .status.met { background: var(--met); } .status.missed { background: var(--missed); }
  .status.pending { background: var(--pending); } .status.unknown { background: var(--unknown); }
  .flag { color: var(--missed); font-weight: 600; font-size: .85rem; }
  blockquote { margin: .3rem 0 .3rem .2rem; padding: .1rem .7rem; border-left: 3px solid var(--rule);
               color: #333; font-style: italic; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .4rem 0; font-size: .92rem; }
  dt { color: var(--muted); }
  dd { margin: 0; }
  ol.sources li { margin-bottom: .3rem; word-break: break-word; }
  .conflicting { color: var(--missed); font-weight: 600; }
  /* Print: every column on the page (tables wrap their cells instead of scrolling out of sight), a heading never
     alone at a page foot, a row or a commitment never cut in two. */
  @media print {
    body { max-width: none; padding: 0; font-size: 10pt; } a { color: inherit; }
    .scroll { overflow: visible; }
    table { table-layout: fixed; width: 100%; font-size: 9pt; }
    th, td { overflow-wrap: anywhere; padding: .25rem .35rem; }
    td:first-child { white-space: normal; }
    thead { display: table-header-group; }
    tr, blockquote, .card, li { break-inside: avoid; page-break-inside: avoid; }
    h1, h2, h3 { break-after: avoid-page; page-break-after: avoid; }
    .keep { break-inside: avoid; page-break-inside: avoid; }
    ol.sources li { overflow-wrap: anywhere; }
  }
  @page { size: A4; margin: 16mm 14mm; }
</style>
</head>
<body>
<header>
  <h1>{{ b.title }}</h1>
  <p class="meta">Period: {{ b.period }} · statuses as of {{ b.as_of or "—" }} · generated {{ b.generated }}</p>
</header>

<section id="summary">
  <h2>Summary</h2>
  <div class="cards">
    <div class="card"><b>{{ b.counts.documents }}</b>documents cited</div>
    <div class="card"><b>{{ b.counts.events }}</b>events</div>
    <div class="card"><b>{{ b.counts.commitments }}</b>commitments</div>
    <div class="card"><b>{{ b.counts.overdue }}</b>overdue</div>
    <div class="card"><b>{{ b.counts.claims }}</b>key figures</div>
  </div>
  <p>Commitments: met {{ b.statuses.met }}, missed {{ b.statuses.missed }}, pending {{ b.statuses.pending }},
     unknown {{ b.statuses.unknown }}. Figures in conflict: {{ b.counts.conflicting }}.</p>
  {% if b.headlines %}
  <h3>Headline developments</h3>
  <ul class="headlines">
    {% for line in b.headlines %}<li>{{ line }}</li>{% endfor %}
  </ul>
  {% endif %}
</section>

<section id="timeline">
  <h2>Timeline</h2>
  {% if b.timeline %}
  <div class="scroll"><table>
    <thead><tr><th>Date</th><th>Type</th><th>What happened</th><th>Where</th><th>Sources</th></tr></thead>
    <tbody>
    {% for t in b.timeline %}
      <tr><td>{{ t.date }}</td>
          <td>{{ t.event.type }}{% if t.event.mode %}<br><span class="muted">{{ t.event.mode }}</span>{% endif %}</td>
          <td>{{ event_line(t.event) }}</td>
          <td>{{ t.event.location.place if t.event.location else "" }}</td>
          <td>{% for n in t.sources %}<a href="#source-{{ n }}">[{{ n }}]</a> {% endfor %}</td></tr>
    {% endfor %}
    </tbody>
  </table></div>
  {% else %}<p class="muted">No events of the pair in this period.</p>{% endif %}
</section>

<section id="commitments">
  <h2>Commitments</h2>
  {% for e in b.commitments %}
  <article class="commitment {{ e.commitment.status }}">
    <h3>{{ e.commitment.statement }}</h3>
    <span class="status {{ e.commitment.status }}">{{ e.commitment.status }}</span>
    {% if e.overdue %}<span class="flag">overdue</span>{% endif %}
    {% if e.reviewed %}<span class="muted">set by an analyst</span>{% endif %}
    <dl>
      <dt>Kind</dt><dd>{{ e.commitment.kind }} · {{ e.commitment.parties | join(", ") }}</dd>
      {% if e.made %}<dt>Made</dt><dd>{{ e.made }}</dd>{% endif %}
      {% if e.due %}<dt>Due</dt><dd>{{ e.due }}</dd>{% endif %}
      {% if e.progress %}<dt>Progress</dt><dd>{{ e.progress }}</dd>{% endif %}
      {% if e.cadence %}<dt>Cadence</dt><dd>{{ e.cadence }}</dd>{% endif %}
      {% if e.judgment %}<dt>Judgment</dt><dd>{{ e.judgment }}</dd>{% endif %}
      <dt>Sources</dt><dd>{% for n in e.sources %}<a href="#source-{{ n }}">[{{ n }}]</a> {% endfor %}</dd>
    </dl>
    {% for q in e.evidence %}
    <blockquote>“{{ q.text }}” <a href="#source-{{ q.source }}">[{{ q.source }}]</a></blockquote>
    {% endfor %}
  </article>
  {% else %}<p class="muted">No commitments of the pair in this period.</p>{% endfor %}
</section>

<section id="figures">
  <h2>Key figures</h2>
  {% if b.figures %}
  <div class="scroll"><table>
    <thead><tr><th>Subject</th><th>Value</th><th>Period</th><th>Corroboration</th><th>Other values reported</th>
               <th>Sources</th></tr></thead>
    <tbody>
    {% for f in b.figures %}
      <tr><td>{{ f.claim.subject }}</td><td>{{ f.value }}</td><td>{{ f.period }}</td>
          <td{% if f.claim.corroboration == "conflicting" %} class="conflicting"{% endif %}>\
{{ f.claim.corroboration | replace("_", " ") }}</td>
          <td>{{ f.others | join("; ") }}</td>
          <td>{% for n in f.sources %}<a href="#source-{{ n }}">[{{ n }}]</a> {% endfor %}</td></tr>
    {% endfor %}
    </tbody>
  </table></div>
  {% else %}<p class="muted">No figures of the pair in this period.</p>{% endif %}
</section>

<section id="sources">
  <h2>Sources</h2>
  <ol class="sources">
  {% for s in b.sources %}
    <li id="source-{{ s.number }}" value="{{ s.number }}"><b>{{ s.label }}</b> —
      {{ s.document.outlet or "unknown outlet" }}, {{ s.date }}
      {%- if s.link %}, <a href="{{ s.link }}" rel="noreferrer noopener">{{ s.link }}</a>{% endif %}</li>
  {% endfor %}
  </ol>
</section>
</body>
</html>
"""

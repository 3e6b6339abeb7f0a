#!/usr/bin/env node
// Post-processes the API.md jsii-docgen writes (the projen docgen task runs it after jsii-docgen):
// - renders `{@link Target}`, `{@link Target.member}` and `{@link Target | text}` as links to
//   the anchors jsii-docgen writes, or as code when the target is not in the reference;
// - adds a table of contents: every section (Constructs, Structs, Classes, Enums...) with
//   a link to each of its types.
// Idempotent: running it again changes nothing.
const fs = require('fs');

const file = process.argv[2] ?? 'API.md';
const TOC_START = '<!-- contents: written by scripts/api-docs.js -->';
const TOC_END = '<!-- end of contents -->';

let md = fs.readFileSync(file, 'utf8');
md = md.replace(new RegExp(`${TOC_START}[\\s\\S]*?${TOC_END}\\n\\n`), '');

const ids = new Set([...md.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));

/**
 * The anchor of a link target: a type, a member of a type (method, property, enum member), or
 * a member of the type being documented (`{@link output}` in the docs of Job); else undefined.
 */
function anchor(target, current) {
  const [type, ...rest] = target.split('.');
  const member = rest.join('.');
  const candidates = member
    ? [`slipway.${type}.${member}`, `slipway.${type}.property.${member}`]
    : [`slipway.${type}`, ...(current ? [`${current}.${type}`, `${current}.property.${type}`] : [])];
  return candidates.find((c) => ids.has(c));
}

/** Renders `{@link ...}` outside fenced code blocks. */
function renderLinks(text) {
  let fenced = false;
  let current;
  return text.split('\n').map((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return line;
    const heading = /^### .+? <a name="[^"]*" id="([^"]+)"><\/a>$/.exec(line);
    if (heading) current = heading[1];
    return line.replace(/\{@link\s+([^}|\s]+)\s*(?:\|\s*([^}]+?)|\s+([^}]+?))?\s*\}/g, (_all, target, piped, spaced) => {
      const label = (piped ?? spaced ?? target).trim();
      const id = anchor(target, current);
      return id ? `[${label === target ? `\`${label}\`` : label}](#${id})` : `\`${label}\``;
    });
  }).join('\n');
}

/** The table of contents: each `##` section with links to its `###` types. */
function contents(text) {
  const lines = [TOC_START, '## Contents', ''];
  let section;
  let entries = [];
  const flush = () => {
    if (section && entries.length) lines.push(`- **${section}** (${entries.length}): ${entries.join(' · ')}`);
    entries = [];
  };
  for (const line of text.split('\n')) {
    const h2 = /^## (.+?) <a name="[^"]*" id="([^"]+)"><\/a>$/.exec(line);
    if (h2) {
      flush();
      section = h2[1];
      continue;
    }
    const h3 = /^### (.+?) <a name="[^"]*" id="([^"]+)"><\/a>$/.exec(line);
    if (h3 && section) entries.push(`[${h3[1]}](#${h3[2]})`);
  }
  flush();
  lines.push('', TOC_END, '', '');
  return lines.join('\n');
}

md = renderLinks(md);
const title = /^# API Reference.*\n/.exec(md);
if (!title) throw new Error(`${file}: no "# API Reference" title; is it jsii-docgen's output?`);
md = md.slice(0, title[0].length) + '\n' + contents(md) + md.slice(title[0].length).replace(/^\n/, '');
fs.writeFileSync(file, md);
const left = (md.match(/\{@link/g) ?? []).length;
console.log(`api-docs: ${file}: contents for ${ids.size} anchors; {@link} left unrendered: ${left}`);

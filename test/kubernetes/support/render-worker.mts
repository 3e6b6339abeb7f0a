/**
 * Renders the templates of one chart with Go's text/template (the go-template wasm build),
 * for targeted assertions on rendered objects. Runs under tsx (the package is an ES module).
 *
 * stdin:  {"templates": {"templates/x.yaml": "..."}, "values": {...}, "chart": {...}}
 * stdout: after MARKER, {"<template>": {"output": "..."} | {"error": "..."}}
 */
import { readFileSync } from 'node:fs';

const MARKER = '@@slipway-render@@';
const input = JSON.parse(readFileSync(0, 'utf8')) as { templates: Record<string, string>; values: unknown; chart: Record<string, unknown> };
const { parse } = await import('@evertdespiegeleer/go-template');
const data = {
  Values: input.values,
  Release: { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
  Chart: { Name: input.chart.name, Version: input.chart.version, AppVersion: input.chart.appVersion ?? '', Description: input.chart.description ?? '' },
};
const out: Record<string, { output: string } | { error: string }> = {};
for (const [file, text] of Object.entries(input.templates)) {
  try {
    out[file] = { output: await parse(text, data) };
  } catch (err) {
    out[file] = { error: err instanceof Error ? err.message : String(err) };
  }
}
process.stdout.write(MARKER + JSON.stringify(out));
process.exit(0);

import { escapeTemplateText, gateDocument, HelmTemplate, insertAfter, wrapKeys } from '../../src/kubernetes/template';

describe('HelmTemplate', () => {
  test('expressions replace scalars, quoted or embedded', () => {
    const t = new HelmTemplate();
    const text = t.render({ replicas: t.expr('{{ .Values.replicas }}'), name: `${t.expr('{{ .Release.Name }}')}-canary` });
    expect(text).toBe('replicas: {{ .Values.replicas }}\nname: {{ .Release.Name }}-canary\n');
  });

  test('wrapped keys are lifted into the parent between the directives, nested too', () => {
    const t = new HelmTemplate();
    const inner = t.when('.Values.b');
    const text = t.render({
      spec: {
        a: 1,
        [t.when('.Values.x')]: { x: { v: 2, [inner]: { b: [1, 2] } } },
        z: 3,
      },
    });
    expect(text).toBe([
      'spec:',
      '  a: 1',
      '  {{- if .Values.x }}',
      '  x:',
      '    v: 2',
      '    {{- if .Values.b }}',
      '    b:',
      '      - 1',
      '      - 2',
      '    {{- end }}',
      '  {{- end }}',
      '  z: 3',
      '',
    ].join('\n'));
  });

  test('blocks replace a mapping value or a sequence item, indented where the token stood', () => {
    const t = new HelmTemplate();
    const text = t.render({
      env: [{ name: 'A', value: 'b' }, t.block(['{{- range .Values.list }}', '- name: {{ . }}', '{{- end }}'])],
      steps: t.block(['{{- range .Values.steps }}', '- setWeight: {{ . }}', '{{- end }}']),
    });
    expect(text).toBe([
      'env:',
      '  - name: A',
      '    value: b',
      '  {{- range .Values.list }}',
      '  - name: {{ . }}',
      '  {{- end }}',
      'steps:',
      '  {{- range .Values.steps }}',
      '  - setWeight: {{ . }}',
      '  {{- end }}',
      '',
    ].join('\n'));
  });

  test('literal {{ in content is escaped; the actions slipway writes are not', () => {
    const t = new HelmTemplate();
    expect(t.render({ query: 'up{job="{{args.service}}"}', name: t.expr('{{ .Release.Name }}') }))
      .toBe('query: up{job="{{`{{`}}args.service}}"}\nname: {{ .Release.Name }}\n');
    expect(escapeTemplateText('a {{b}} {{c')).toBe('a {{`{{`}}b}} {{`{{`}}c');
  });

  test('a token the serializer mangled is an internal error, not silent output', () => {
    const t = new HelmTemplate();
    // a key that is a block token cannot be replaced
    expect(() => t.render({ [t.block(['x'])]: 1 })).toThrow(/internal error: template token __SLIPWAY_B0001__ was not replaced/);
  });

  test('wrapKeys keeps the position; insertAfter inserts after a key; gateDocument wraps a file', () => {
    const obj: any = { a: 1, b: 2, c: 3 };
    wrapKeys(obj, ['b'], 'W');
    expect(Object.entries(obj)).toEqual([['a', 1], ['W', { b: 2 }], ['c', 3]]);
    wrapKeys(obj, ['missing'], 'V');
    expect(Object.keys(obj)).toEqual(['a', 'W', 'c']);
    insertAfter(obj, 'a', 'x', 9);
    expect(Object.keys(obj)).toEqual(['a', 'x', 'W', 'c']);
    expect(gateDocument('kind: X\n', '.Values.on')).toBe('{{- if .Values.on }}\nkind: X\n{{- end }}\n');
    expect(gateDocument('kind: X\n', undefined)).toBe('kind: X\n');
  });
});

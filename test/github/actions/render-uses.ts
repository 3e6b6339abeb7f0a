import * as YAML from 'yaml';

/** A `uses:` value as a step renders it: the reference, with the version as a trailing comment. */
export function renderUses(ref: { uses: string; comment?: string }): unknown {
  if (!ref.comment) return ref.uses;
  const scalar = new YAML.Scalar(ref.uses);
  scalar.comment = ref.comment;
  return scalar;
}

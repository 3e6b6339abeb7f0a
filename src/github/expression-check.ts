import { ExpressionNode, ExpressionSyntaxError, parseExpression } from './expression-parser';
import { expressionSpans, visitStrings } from './expression-scan';
import { closest } from '../core/errors';

/**
 * GitHub's expression functions, lowercased (names are case-insensitive).
 * @see https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions#functions
 */
const FUNCTIONS = ['contains', 'startsWith', 'endsWith', 'format', 'join', 'toJSON', 'fromJSON', 'hashFiles', 'case',
  'success', 'always', 'cancelled', 'failure'];

/** What the expressions of one part of a workflow may read. @internal */
export interface ExpressionScope {
  /** Declared input names (workflow_dispatch and workflow_call); undefined: not checked. */
  readonly inputs?: readonly string[];
  /** Whether the steps context exists here (inside steps and job outputs only). */
  readonly steps: boolean;
}

/**
 * The problems GitHub would reject in the expressions of `value` (a rendered
 * part of a workflow): unterminated `${{`, syntax errors, unknown functions,
 * inputs that no trigger declares, and the steps context outside steps.
 * @internal
 */
export function expressionProblems(value: unknown, scope: (path: string[]) => ExpressionScope): string[] {
  const out: string[] = [];
  visitStrings(value, (s, path) => {
    // a job's or a step's `if:` is an expression without `${{ }}`; an input or env var named "if" is not
    const isCondition = path[path.length - 1] === 'if' && (path.length === 1 || (path[0] === 'steps' && path.length === 3));
    // most strings hold no expression: nothing to check
    if (!isCondition && !s.includes('${{')) return;
    const where = path.join('.');
    const spans = expressionSpans(s);
    const opened = s.split('${{').length - 1;
    if (opened > spans.length) {
      out.push(`${where}: "${s.length > 60 ? s.slice(0, 57) + '...' : s}" has a "\${{" without its closing "}}"; close the expression with "}}"`);
    }
    const texts = spans.length === 0 && isCondition && s.trim() !== '' ? [s] : spans.map((sp) => sp.text);
    const here = scope(path);
    for (const text of texts) {
      let node: ExpressionNode;
      try {
        node = parseExpression(text);
      } catch (e) {
        if (e instanceof ExpressionSyntaxError) out.push(`${where}: expression "${text}" is not valid: ${e.message}; fix the expression`);
        continue;
      }
      visit(node, (n) => {
        if (n.kind === 'call' && !FUNCTIONS.some((f) => f.toLowerCase() === n.name)) {
          const near = closest(n.name, FUNCTIONS);
          out.push(`${where}: "${n.name}()" is not a GitHub expression function; ${near ? `did you mean "${near}"?` : `functions: ${FUNCTIONS.join(', ')}`}`);
        }
        if (n.kind === 'member' && n.object.kind === 'context' && n.key !== undefined && n.key !== '*') {
          if (n.object.name === 'inputs' && here.inputs && !here.inputs.some((i) => i.toLowerCase() === n.key)) {
            const near = closest(n.key, here.inputs);
            out.push(`${where}: reads "inputs.${n.key}", but no trigger declares input "${n.key}"; ${near ? `did you mean "${near}"?` : here.inputs.length ? `inputs: ${here.inputs.join(', ')}` : 'declare it in Trigger.workflowDispatch({ inputs }) or Trigger.workflowCall({ inputs })'}`);
          }
        }
        if (n.kind === 'context' && n.name === 'steps' && !here.steps) {
          out.push(`${where}: reads the steps context, which GitHub allows only in steps, job outputs and environment.url; move the value into the step's env`);
        }
      });
    }
  });
  return [...new Set(out)];
}

function visit(n: ExpressionNode, f: (n: ExpressionNode) => void): void {
  f(n);
  switch (n.kind) {
    case 'member': visit(n.object, f); if (n.index) visit(n.index, f); break;
    case 'call': n.args.forEach((a) => visit(a, f)); break;
    case 'not': visit(n.operand, f); break;
    case 'binary': visit(n.left, f); visit(n.right, f); break;
    default: break;
  }
}

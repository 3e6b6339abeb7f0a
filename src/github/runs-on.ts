import type * as wf from './workflows-model';
import { invalid } from '../core/strict';

/**
 * The runner a job runs on (`runs-on:`).
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idruns-on
 */
export class RunsOn {
  /** `ubuntu-latest`, the default. */
  public static readonly UBUNTU_LATEST = RunsOn.label('ubuntu-latest');
  /** `windows-latest`. */
  public static readonly WINDOWS_LATEST = RunsOn.label('windows-latest');
  /** `macos-latest`. */
  public static readonly MACOS_LATEST = RunsOn.label('macos-latest');

  /**
   * One runner label, e.g. a GitHub-hosted image (`ubuntu-24.04`) or an
   * expression (`Expression.matrix('os').toString()`).
   */
  public static label(label: string): RunsOn {
    return invalid(new RunsOn(label), ...(label.trim() === '' ? ['RunsOn.label needs a non-empty label, e.g. "ubuntu-latest"'] : []));
  }

  /**
   * A runner that has every one of the labels, e.g. a self-hosted runner:
   * `RunsOn.labels(['self-hosted', 'linux', 'x64'])`.
   */
  public static labels(labels: string[]): RunsOn {
    return invalid(new RunsOn([...labels]), ...(labels.length === 0 ? ['RunsOn.labels needs at least one label, e.g. ["self-hosted", "linux"]'] : []));
  }

  /**
   * A runner of a runner group, optionally narrowed by labels.
   * @param group the runner group name
   * @param labels labels the runner must also have
   */
  public static group(group: string, labels?: string[]): RunsOn {
    const problems = group.trim() === '' ? ['RunsOn.group needs a non-empty group name, e.g. "linux-runners"'] : [];
    const narrowed = labels && labels.length > 0 ? (labels.length === 1 ? labels[0] : [...labels]) : undefined;
    return invalid(new RunsOn({ group, labels: narrowed }), ...problems);
  }

  private constructor(private readonly value: wf.RunsOn) {}

  /** @internal */
  public _toWire(): wf.RunsOn {
    return this.value;
  }
}

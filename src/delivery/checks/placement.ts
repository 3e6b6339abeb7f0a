/** Where a check runs in the pipeline. */
export enum CheckPlacement {
  /** A gate before anything deploys: runs on the source, in parallel with the other gates and the build. */
  BEFORE_DEPLOY = 'before-deploy',
  /** After the images are built (image scans): it needs the build and gates the deploys. */
  AFTER_BUILD = 'after-build',
  /**
   * After every BEFORE_DEPLOY check of the pipeline passed, e.g. building and
   * verifying packages only from code that passed lint, tests and scans. It
   * gates the deploys like any other check.
   */
  AFTER_GATES = 'after-gates',
  /** Against a deployed environment (DAST, load tests): list it in that Environment's checks. */
  AFTER_DEPLOY = 'after-deploy',
}

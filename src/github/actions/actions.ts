import { Action } from './action';
import { DownloadArtifactProps, UploadArtifactProps } from './catalog/artifacts';
import { CatalogOptions } from './catalog/catalog-options';
import { GoogleAuthProps, K8sSetContextProps, SetupGcloudProps, SetupHelmProps } from './catalog/cloud';
import { BuildPushProps, DockerLoginProps, SetupBuildxProps } from './catalog/docker';
import { DiscordProps, SlackProps, SlackStatusProps } from './catalog/notify';
import { DeployPagesProps, GhPagesProps, GhReleaseProps, PypiPublishProps, UploadPagesArtifactProps } from './catalog/publish';
import { PrSizeLabelerProps, SemanticPullRequestProps } from './catalog/pull-request';
import { CodecovProps, TrivyProps, UploadSarifProps } from './catalog/quality';
import { catalogAction, commas, GHCR, keyValueLines, lines, newlines } from './catalog/render-inputs';
import { CacheProps, CheckoutProps, InstallPoetryProps, SetupNodeProps, SetupPythonProps } from './catalog/setup';

/**
 * The catalog: typed factories for the actions delivery pipelines use. Each
 * returns an {@link Action} with its inputs (`with:`) set from typed props,
 * the permission scopes it needs, and a version pinned by slipway's built-in
 * lock (override it with `options.version`; refresh the pins with
 * `npx slipway pin`).
 *
 * Props are rendered to `with:` keys exactly as each action spells them
 * (`fetch-depth`, `python-version`, `fail_ci_if_error`, `requireScope`).
 * Unset props are not rendered, so the action's own defaults apply. Inputs
 * the props do not cover can be added with `action.withInputs({...})`.
 *
 * @example
 * Step.uses(Actions.checkout({ fetchDepth: 0 }), { name: 'Checkout' });
 * Step.uses(Actions.setupPython({ pythonVersion: '3.12', cache: 'pip' }));
 */
export class Actions {
  /**
   * `actions/checkout` (default `v7`): checks out the repository. Needs
   * `contents: read`. Renders `persist-credentials: false` unless
   * `persistCredentials` is set: the token stays out of `.git/config`.
   */
  public static checkout(props: CheckoutProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/checkout', 'v7', options, {
      permissions: { contents: 'read' },
      inputs: {
        'repository': props.repository,
        'ref': props.ref,
        'token': props.token,
        'ssh-key': props.sshKey,
        'persist-credentials': props.persistCredentials ?? false,
        'path': props.path,
        'clean': props.clean,
        'filter': props.filter,
        'sparse-checkout': lines(props.sparseCheckout),
        'fetch-depth': props.fetchDepth,
        'fetch-tags': props.fetchTags,
        'lfs': props.lfs,
        'submodules': props.submodules,
        'set-safe-directory': props.setSafeDirectory,
      },
    });
  }

  /** `actions/setup-python` (default `v7`): installs Python. */
  public static setupPython(props: SetupPythonProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/setup-python', 'v7', options, {
      inputs: {
        'python-version': props.pythonVersion,
        'python-version-file': props.pythonVersionFile,
        'cache': props.cache,
        'cache-dependency-path': lines(props.cacheDependencyPath),
        'architecture': props.architecture,
        'check-latest': props.checkLatest,
        'allow-prereleases': props.allowPrereleases,
        'update-environment': props.updateEnvironment,
      },
    });
  }

  /** `actions/setup-node` (default `v7`): installs Node.js. */
  public static setupNode(props: SetupNodeProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/setup-node', 'v7', options, {
      inputs: {
        'node-version': props.nodeVersion,
        'node-version-file': props.nodeVersionFile,
        'cache': props.cache,
        'cache-dependency-path': lines(props.cacheDependencyPath),
        'registry-url': props.registryUrl,
        'scope': props.scope,
        'architecture': props.architecture,
        'check-latest': props.checkLatest,
      },
    });
  }

  /** `actions/cache` (default `v5`): saves and restores files across runs. */
  public static cache(props: CacheProps, options?: CatalogOptions): Action {
    if (props.path.length === 0) throw new Error('Actions.cache: "path" needs at least one path to cache');
    return catalogAction('actions/cache', 'v5', options, {
      inputs: {
        'path': lines(props.path),
        'key': props.key,
        'restore-keys': lines(props.restoreKeys),
        'enableCrossOsArchive': props.enableCrossOsArchive,
        'fail-on-cache-miss': props.failOnCacheMiss,
        'lookup-only': props.lookupOnly,
      },
    });
  }

  /** `snok/install-poetry` (default `v1`): installs Poetry. */
  public static installPoetry(props: InstallPoetryProps = {}, options?: CatalogOptions): Action {
    return catalogAction('snok/install-poetry', 'v1', options, {
      inputs: {
        'version': props.version,
        'virtualenvs-create': props.virtualenvsCreate,
        'virtualenvs-in-project': props.virtualenvsInProject,
        'virtualenvs-path': props.virtualenvsPath,
        'installer-parallel': props.installerParallel,
        'plugins': props.plugins,
      },
    });
  }

  /** `actions/upload-artifact` (default `v7`): uploads files as an artifact of the run. */
  public static uploadArtifact(props: UploadArtifactProps, options?: CatalogOptions): Action {
    if (props.path.length === 0) throw new Error('Actions.uploadArtifact: "path" needs at least one path to upload');
    return catalogAction('actions/upload-artifact', 'v7', options, {
      inputs: {
        'name': props.name,
        'path': lines(props.path),
        'if-no-files-found': props.ifNoFilesFound,
        'retention-days': props.retentionDays,
        'compression-level': props.compressionLevel,
        'overwrite': props.overwrite,
        'include-hidden-files': props.includeHiddenFiles,
      },
    });
  }

  /**
   * `actions/download-artifact` (default `v8`): downloads artifacts. With
   * `runId` (another run) the job gets `actions: read`.
   */
  public static downloadArtifact(props: DownloadArtifactProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/download-artifact', 'v8', options, {
      // reading artifacts of another run goes through the Actions API
      permissions: props.runId !== undefined ? { actions: 'read' } : {},
      inputs: {
        'name': props.name,
        'path': props.path,
        'pattern': props.pattern,
        'merge-multiple': props.mergeMultiple,
        'github-token': props.githubToken,
        'repository': props.repository,
        'run-id': props.runId,
      },
    });
  }

  /**
   * `docker/login-action` (default `v4`): logs in to a registry. For
   * `ghcr.io` the job gets `packages: write`.
   */
  public static dockerLogin(props: DockerLoginProps = {}, options?: CatalogOptions): Action {
    return catalogAction('docker/login-action', 'v4', options, {
      // pushing to GHCR with the workflow token needs packages: write
      permissions: props.registry !== undefined && GHCR.test(props.registry) ? { packages: 'write' } : {},
      inputs: {
        registry: props.registry,
        username: props.username,
        password: props.password,
        ecr: props.ecr,
        logout: props.logout,
      },
    });
  }

  /** `docker/setup-buildx-action` (default `v4`): sets up a Buildx builder. */
  public static setupBuildx(props: SetupBuildxProps = {}, options?: CatalogOptions): Action {
    return catalogAction('docker/setup-buildx-action', 'v4', options, {
      inputs: {
        'version': props.version,
        'driver': props.driver,
        'driver-opts': lines(props.driverOpts),
        'buildkitd-flags': props.buildkitdFlags,
        'buildkitd-config-inline': props.buildkitdConfigInline,
        'platforms': commas(props.platforms),
        'use': props.use,
        'name': props.name,
        'cleanup': props.cleanup,
      },
    });
  }

  /** `docker/build-push-action` (default `v7`): builds (and pushes) an image. */
  public static buildPush(props: BuildPushProps = {}, options?: CatalogOptions): Action {
    return catalogAction('docker/build-push-action', 'v7', options, {
      inputs: {
        'context': props.context,
        'file': props.file,
        'push': props.push,
        'load': props.load,
        'tags': lines(props.tags),
        'build-args': keyValueLines(props.buildArgs),
        'labels': keyValueLines(props.labels),
        'platforms': commas(props.platforms),
        'cache-from': lines(props.cacheFrom),
        'cache-to': lines(props.cacheTo),
        'target': props.target,
        'secrets': lines(props.secrets),
        'provenance': props.provenance,
        'sbom': props.sbom,
        'pull': props.pull,
        'no-cache': props.noCache,
        'outputs': lines(props.outputs),
      },
    });
  }

  /**
   * `codecov/codecov-action` (default `v5`): uploads coverage. With
   * `useOidc` the job gets `id-token: write`.
   */
  public static codecov(props: CodecovProps = {}, options?: CatalogOptions): Action {
    // v5 removed `file`: from v5 on, the one report is one more of `files`
    const fileInput = /^v[34](\.|$)/.test(options?.version ?? 'v5');
    return catalogAction('codecov/codecov-action', 'v5', options, {
      permissions: props.useOidc ? { 'id-token': 'write' } : {},
      inputs: {
        token: props.token,
        files: commas([...(props.files ?? []), ...(props.file !== undefined && !fileInput ? [props.file] : [])]),
        file: fileInput ? props.file : undefined,
        flags: commas(props.flags),
        name: props.name,
        fail_ci_if_error: props.failCiIfError,
        use_oidc: props.useOidc,
        directory: props.directory,
        disable_search: props.disableSearch,
        verbose: props.verbose,
      },
    });
  }

  /**
   * `google-github-actions/auth` (default `v3`): authenticates to Google
   * Cloud. Keyless (Workload Identity Federation) authentication gives the
   * job `id-token: write`.
   */
  public static googleAuth(props: GoogleAuthProps, options?: CatalogOptions): Action {
    if (props.credentialsJson === undefined && props.workloadIdentityProvider === undefined) {
      throw new Error('Actions.googleAuth: set "workloadIdentityProvider" (keyless, through OIDC) or "credentialsJson" (a service account key from a secret)');
    }
    return catalogAction('google-github-actions/auth', 'v3', options, {
      permissions: props.credentialsJson === undefined ? { 'id-token': 'write' } : {},
      inputs: {
        project_id: props.projectId,
        workload_identity_provider: props.workloadIdentityProvider,
        service_account: props.serviceAccount,
        audience: props.audience,
        credentials_json: props.credentialsJson,
        create_credentials_file: props.createCredentialsFile,
        export_environment_variables: props.exportEnvironmentVariables,
        token_format: props.tokenFormat,
        access_token_lifetime: props.accessTokenLifetime,
        access_token_scopes: commas(props.accessTokenScopes),
        id_token_audience: props.idTokenAudience,
      },
    });
  }

  /** `google-github-actions/setup-gcloud` (default `v3`): installs the gcloud CLI. */
  public static setupGcloud(props: SetupGcloudProps = {}, options?: CatalogOptions): Action {
    return catalogAction('google-github-actions/setup-gcloud', 'v3', options, {
      inputs: {
        version: props.version,
        project_id: props.projectId,
        install_components: commas(props.installComponents),
        skip_install: props.skipInstall,
      },
    });
  }

  /** `azure/setup-helm` (default `v5`): installs Helm. */
  public static setupHelm(props: SetupHelmProps = {}, options?: CatalogOptions): Action {
    return catalogAction('azure/setup-helm', 'v5', options, {
      inputs: {
        version: props.version,
        token: props.token,
        downloadBaseURL: props.downloadBaseUrl,
      },
    });
  }

  /**
   * `azure/k8s-set-context` (default `v5`): sets the kubectl context.
   */
  public static k8sSetContext(props: K8sSetContextProps = {}, options?: CatalogOptions): Action {
    return catalogAction('azure/k8s-set-context', 'v5', options, {
      inputs: {
        'method': props.method,
        'kubeconfig': props.kubeconfig,
        'context': props.context,
        'cluster-type': props.clusterType,
        'k8s-url': props.k8sUrl,
        'k8s-secret': props.k8sSecret,
        'token': props.token,
        'resource-group': props.resourceGroup,
        'cluster-name': props.clusterName,
      },
    });
  }

  /** `slackapi/slack-github-action` (default `v4`): posts to Slack. */
  public static slack(props: SlackProps, options?: CatalogOptions): Action {
    if ((props.webhook === undefined) === (props.method === undefined)) {
      throw new Error('Actions.slack: set either "webhook" (with "webhookType") or "method" (with "token"), not both and not neither');
    }
    if (props.webhook !== undefined && props.webhookType === undefined) {
      throw new Error('Actions.slack: "webhook" needs "webhookType": "incoming-webhook" or "webhook-trigger"');
    }
    return catalogAction('slackapi/slack-github-action', 'v4', options, {
      inputs: {
        'method': props.method,
        'token': props.token,
        'webhook': props.webhook,
        'webhook-type': props.webhookType,
        'payload': props.payload,
        'payload-file-path': props.payloadFilePath,
        'payload-templated': props.payloadTemplated,
        'errors': props.errors,
        'retries': props.retries,
      },
    });
  }

  /**
   * `8398a7/action-slack` (default `v3`): posts a job status message to a
   * Slack incoming webhook.
   */
  public static slackStatus(props: SlackStatusProps, options?: CatalogOptions): Action {
    return catalogAction('8398a7/action-slack', 'v3', options, {
      inputs: {
        status: props.status,
        fields: props.fields,
        channel: props.channel,
        text: props.text,
        mention: props.mention,
        if_mention: props.ifMention,
        custom_payload: props.customPayload,
      },
      env: { SLACK_WEBHOOK_URL: props.webhookUrl },
    });
  }

  /** `sarisia/actions-status-discord` (default `v1`): posts a job status to Discord. */
  public static discord(props: DiscordProps, options?: CatalogOptions): Action {
    return catalogAction('sarisia/actions-status-discord', 'v1', options, {
      inputs: {
        webhook: props.webhook,
        status: props.status,
        content: props.content,
        title: props.title,
        description: props.description,
        color: props.color,
        username: props.username,
        nodetail: props.nodetail,
        nofail: props.nofail,
        url: props.url,
      },
    });
  }

  /**
   * `softprops/action-gh-release` (default `v3`): creates a GitHub release.
   * Needs `contents: write`.
   */
  public static ghRelease(props: GhReleaseProps = {}, options?: CatalogOptions): Action {
    return catalogAction('softprops/action-gh-release', 'v3', options, {
      permissions: { contents: 'write' },
      inputs: {
        tag_name: props.tagName,
        name: props.name,
        body: props.body,
        body_path: props.bodyPath,
        files: lines(props.files),
        generate_release_notes: props.generateReleaseNotes,
        draft: props.draft,
        prerelease: props.prerelease,
        make_latest: props.makeLatest,
        fail_on_unmatched_files: props.failOnUnmatchedFiles,
        target_commitish: props.targetCommitish,
        token: props.token,
      },
    });
  }

  /**
   * `peaceiris/actions-gh-pages` (default `v4`): pushes a directory to the
   * `gh-pages` branch. With `githubToken` the job gets `contents: write`.
   */
  public static ghPages(props: GhPagesProps, options?: CatalogOptions): Action {
    const tokens = [props.githubToken, props.deployKey, props.personalToken].filter((t) => t !== undefined);
    if (tokens.length !== 1) {
      throw new Error('Actions.ghPages: set exactly one of "githubToken" (e.g. "${{ secrets.GITHUB_TOKEN }}"), "deployKey" or "personalToken"');
    }
    return catalogAction('peaceiris/actions-gh-pages', 'v4', options, {
      permissions: props.githubToken !== undefined ? { contents: 'write' } : {},
      inputs: {
        github_token: props.githubToken,
        deploy_key: props.deployKey,
        personal_token: props.personalToken,
        publish_dir: props.publishDir,
        publish_branch: props.publishBranch,
        destination_dir: props.destinationDir,
        external_repository: props.externalRepository,
        keep_files: props.keepFiles,
        force_orphan: props.forceOrphan,
        cname: props.cname,
        commit_message: props.commitMessage,
        enable_jekyll: props.enableJekyll,
      },
    });
  }

  /** `actions/upload-pages-artifact` (default `v5`): packages a site for {@link Actions.deployPages}. */
  public static uploadPagesArtifact(props: UploadPagesArtifactProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/upload-pages-artifact', 'v5', options, {
      inputs: {
        'name': props.name,
        'path': props.path,
        'retention-days': props.retentionDays,
      },
    });
  }

  /**
   * `actions/deploy-pages` (default `v5`): deploys to GitHub Pages. Needs
   * `pages: write` and `id-token: write`.
   */
  public static deployPages(props: DeployPagesProps = {}, options?: CatalogOptions): Action {
    return catalogAction('actions/deploy-pages', 'v5', options, {
      permissions: { 'pages': 'write', 'id-token': 'write' },
      inputs: {
        artifact_name: props.artifactName,
        timeout: props.timeout,
        preview: props.preview,
      },
    });
  }

  /**
   * `pypa/gh-action-pypi-publish` (default `release/v1`): publishes Python
   * distributions. Trusted publishing gives the job `id-token: write`.
   */
  public static pypiPublish(props: PypiPublishProps = {}, options?: CatalogOptions): Action {
    return catalogAction('pypa/gh-action-pypi-publish', 'release/v1', options, {
      permissions: props.password === undefined ? { 'id-token': 'write' } : {},
      inputs: {
        'packages-dir': props.packagesDir,
        'repository-url': props.repositoryUrl,
        'password': props.password,
        'skip-existing': props.skipExisting,
        'verify-metadata': props.verifyMetadata,
        'attestations': props.attestations,
        'verbose': props.verbose,
      },
    });
  }

  /**
   * `amannn/action-semantic-pull-request` (default `v6`): checks the pull
   * request title. Needs `pull-requests: read`.
   */
  public static semanticPullRequest(props: SemanticPullRequestProps = {}, options?: CatalogOptions): Action {
    return catalogAction('amannn/action-semantic-pull-request', 'v6', options, {
      permissions: { 'pull-requests': 'read' },
      inputs: {
        types: newlines(props.types),
        scopes: newlines(props.scopes),
        requireScope: props.requireScope,
        subjectPattern: props.subjectPattern,
        subjectPatternError: props.subjectPatternError,
        ignoreLabels: newlines(props.ignoreLabels),
        validateSingleCommit: props.validateSingleCommit,
        wip: props.wip,
      },
      env: { GITHUB_TOKEN: props.githubToken ?? '${{ secrets.GITHUB_TOKEN }}' },
    });
  }

  /**
   * `codelytv/pr-size-labeler` (default `v1`): labels pull requests by size.
   * Needs `pull-requests: write`.
   */
  public static prSizeLabeler(props: PrSizeLabelerProps = {}, options?: CatalogOptions): Action {
    return catalogAction('codelytv/pr-size-labeler', 'v1', options, {
      permissions: { 'pull-requests': 'write' },
      inputs: {
        GITHUB_TOKEN: props.githubToken,
        xs_label: props.xsLabel,
        xs_max_size: props.xsMaxSize,
        s_label: props.sLabel,
        s_max_size: props.sMaxSize,
        m_label: props.mLabel,
        m_max_size: props.mMaxSize,
        l_label: props.lLabel,
        l_max_size: props.lMaxSize,
        xl_label: props.xlLabel,
        fail_if_xl: props.failIfXl,
        message_if_xl: props.messageIfXl,
        files_to_ignore: props.filesToIgnore,
      },
    });
  }

  /** `aquasecurity/trivy-action` (default `v0.36.0`): scans images and files for vulnerabilities. */
  public static trivy(props: TrivyProps = {}, options?: CatalogOptions): Action {
    return catalogAction('aquasecurity/trivy-action', 'v0.36.0', options, {
      inputs: {
        'scan-type': props.scanType,
        'image-ref': props.imageRef,
        'scan-ref': props.scanRef,
        'input': props.input,
        'format': props.format,
        'output': props.output,
        'severity': commas(props.severity),
        'exit-code': props.exitCode,
        'ignore-unfixed': props.ignoreUnfixed,
        'scanners': commas(props.scanners),
        'vuln-type': commas(props.vulnType),
        'skip-dirs': commas(props.skipDirs),
        'trivyignores': commas(props.trivyignores),
        'timeout': props.timeout,
        'version': props.version,
      },
    });
  }

  /**
   * `github/codeql-action/upload-sarif` (default `v4`): uploads a SARIF
   * report to code scanning. Needs `security-events: write`.
   */
  public static uploadSarif(props: UploadSarifProps, options?: CatalogOptions): Action {
    return catalogAction('github/codeql-action/upload-sarif', 'v4', options, {
      permissions: { 'security-events': 'write' },
      inputs: {
        'sarif_file': props.sarifFile,
        'category': props.category,
        'wait-for-processing': props.waitForProcessing,
        'checkout_path': props.checkoutPath,
      },
    });
  }

  private constructor() {}
}

/**
 * Inputs of `google-github-actions/auth`. Use Workload Identity Federation
 * (`workloadIdentityProvider` + `serviceAccount`, keyless through OIDC) or a
 * service account key (`credentialsJson`).
 * @see https://github.com/google-github-actions/auth#inputs
 */
export interface GoogleAuthProps {
  /**
   * Full identifier of the Workload Identity Provider,
   * `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`
   * (`workload_identity_provider`).
   * @default - none
   */
  readonly workloadIdentityProvider?: string;

  /**
   * Service account email to impersonate (`service_account`).
   * @default - direct Workload Identity Federation, no impersonation
   */
  readonly serviceAccount?: string;

  /**
   * Service account key JSON, as a secret expression (`credentials_json`).
   * Without it the action authenticates through OIDC, so the job gets
   * `id-token: write`.
   * @default - none
   */
  readonly credentialsJson?: string;

  /**
   * Project id for later steps (`project_id`).
   * @default - the project of the credentials
   */
  readonly projectId?: string;

  /**
   * Audience of the GitHub OIDC token (`audience`).
   * @default - the provider's default audience
   */
  readonly audience?: string;

  /**
   * Whether to write a credentials file for later steps
   * (`create_credentials_file`).
   * @default true
   */
  readonly createCredentialsFile?: boolean;

  /**
   * Whether to export `GOOGLE_APPLICATION_CREDENTIALS`, `CLOUDSDK_*` and
   * project variables (`export_environment_variables`).
   * @default true
   */
  readonly exportEnvironmentVariables?: boolean;

  /**
   * Token to generate as an output: `access_token` or `id_token`
   * (`token_format`).
   * @default - none
   */
  readonly tokenFormat?: string;

  /**
   * Lifetime of the access token, e.g. `3600s` (`access_token_lifetime`).
   * @default "3600s"
   */
  readonly accessTokenLifetime?: string;

  /**
   * Scopes of the access token (`access_token_scopes`, comma-separated).
   * @default - cloud-platform
   */
  readonly accessTokenScopes?: string[];

  /**
   * Audience of the generated ID token (`id_token_audience`).
   * @default - none
   */
  readonly idTokenAudience?: string;
}

/**
 * Inputs of `google-github-actions/setup-gcloud`.
 * @see https://github.com/google-github-actions/setup-gcloud#inputs
 */
export interface SetupGcloudProps {
  /**
   * gcloud SDK version, e.g. `>= 490.0.0` or `latest` (`version`).
   * @default - the runner's gcloud, else the latest
   */
  readonly version?: string;

  /**
   * Project to configure as gcloud's default (`project_id`).
   * @default - the project of the credentials
   */
  readonly projectId?: string;

  /**
   * Extra components to install, e.g. `gke-gcloud-auth-plugin`
   * (`install_components`, comma-separated).
   * @default - none
   */
  readonly installComponents?: string[];

  /**
   * Whether to use the runner's gcloud without installing one
   * (`skip_install`).
   * @default false
   */
  readonly skipInstall?: boolean;
}

/**
 * Inputs of `azure/setup-helm`.
 * @see https://github.com/Azure/setup-helm#inputs
 */
export interface SetupHelmProps {
  /**
   * Helm version, e.g. `v3.16.4` or `latest` (`version`).
   * @default "latest"
   */
  readonly version?: string;

  /**
   * Token used to look up the latest version (`token`).
   * @default "${{ github.token }}"
   */
  readonly token?: string;

  /**
   * Base URL Helm is downloaded from (`downloadBaseURL`).
   * @default "https://get.helm.sh"
   */
  readonly downloadBaseUrl?: string;
}

/**
 * Inputs of `azure/k8s-set-context`.
 * @see https://github.com/Azure/k8s-set-context#action-inputs
 */
export interface K8sSetContextProps {
  /**
   * How to authenticate: `kubeconfig`, `service-account` or
   * `service-principal` (`method`).
   * @default "kubeconfig"
   */
  readonly method?: string;

  /**
   * Contents of the kubeconfig, as a secret expression (`kubeconfig`).
   * @default - none
   */
  readonly kubeconfig?: string;

  /**
   * Context of the kubeconfig to use (`context`).
   * @default - the kubeconfig's current context
   */
  readonly context?: string;

  /**
   * Cluster type: `generic` or `arc` (`cluster-type`).
   * @default "generic"
   */
  readonly clusterType?: string;

  /**
   * Cluster API server URL, for `service-account` (`k8s-url`).
   * @default - none
   */
  readonly k8sUrl?: string;

  /**
   * Service account secret YAML, for `service-account` (`k8s-secret`).
   * @default - none
   */
  readonly k8sSecret?: string;

  /**
   * Service account token, for `arc` clusters (`token`).
   * @default - none
   */
  readonly token?: string;

  /**
   * Azure resource group, for `arc` clusters (`resource-group`).
   * @default - none
   */
  readonly resourceGroup?: string;

  /**
   * Azure cluster name, for `arc` clusters (`cluster-name`).
   * @default - none
   */
  readonly clusterName?: string;
}

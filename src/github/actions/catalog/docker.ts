/**
 * Inputs of `docker/login-action`.
 * @see https://github.com/docker/login-action#inputs
 */
export interface DockerLoginProps {
  /**
   * Registry server, e.g. `ghcr.io`, `europe-docker.pkg.dev` (`registry`).
   * Logging in to `ghcr.io` adds `packages: write` to the job.
   * @default - Docker Hub
   */
  readonly registry?: string;

  /**
   * User name (`username`), e.g. `${{ github.actor }}` for GHCR.
   * @default - none
   */
  readonly username?: string;

  /**
   * Password or token, as a secret expression (`password`).
   * @default - none
   */
  readonly password?: string;

  /**
   * Whether the registry is AWS ECR: `auto`, `true` or `false` (`ecr`).
   * @default "auto"
   */
  readonly ecr?: string;

  /**
   * Whether to log out at the end of the job (`logout`).
   * @default true
   */
  readonly logout?: boolean;
}

/**
 * Inputs of `docker/setup-buildx-action`.
 * @see https://github.com/docker/setup-buildx-action#inputs
 */
export interface SetupBuildxProps {
  /**
   * Buildx version, e.g. `v0.18.0` or `latest` (`version`).
   * @default - the runner's buildx
   */
  readonly version?: string;

  /**
   * Builder driver: `docker-container`, `docker`, `kubernetes` or `remote`
   * (`driver`).
   * @default "docker-container"
   */
  readonly driver?: string;

  /**
   * Driver options, one per line, e.g. `image=moby/buildkit:master`
   * (`driver-opts`).
   * @default - none
   */
  readonly driverOpts?: string[];

  /**
   * Flags for buildkitd (`buildkitd-flags`).
   * @default - none
   */
  readonly buildkitdFlags?: string;

  /**
   * Inline BuildKit daemon configuration (TOML) (`buildkitd-config-inline`).
   * @default - none
   */
  readonly buildkitdConfigInline?: string;

  /**
   * Platforms the builder supports, e.g. `linux/amd64`, `linux/arm64`
   * (`platforms`, comma-separated).
   * @default - the node's platforms
   */
  readonly platforms?: string[];

  /**
   * Whether to switch to the new builder (`use`).
   * @default true
   */
  readonly use?: boolean;

  /**
   * Builder name (`name`).
   * @default - generated
   */
  readonly name?: string;

  /**
   * Whether to remove the builder at the end of the job (`cleanup`).
   * @default true
   */
  readonly cleanup?: boolean;
}

/**
 * Inputs of `docker/build-push-action`.
 * @see https://github.com/docker/build-push-action#inputs
 */
export interface BuildPushProps {
  /**
   * Build context: a path or a git URL (`context`).
   * @default - the git context of the workflow's commit
   */
  readonly context?: string;

  /**
   * Path to the Dockerfile (`file`).
   * @default "{context}/Dockerfile"
   */
  readonly file?: string;

  /**
   * Image tags, e.g. `ghcr.io/acme/api:${{ github.sha }}` (`tags`, one per line).
   * @default - none
   */
  readonly tags?: string[];

  /**
   * Whether to push the image (`push`).
   * @default false
   */
  readonly push?: boolean;

  /**
   * Whether to load the image into the local Docker (`load`).
   * @default false
   */
  readonly load?: boolean;

  /**
   * Build arguments (`build-args`, `KEY=value` lines).
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };

  /**
   * Image labels (`labels`, `key=value` lines).
   * @default - none
   */
  readonly labels?: { [name: string]: string };

  /**
   * Target platforms, e.g. `linux/amd64`, `linux/arm64` (`platforms`,
   * comma-separated).
   * @default - the builder's platform
   */
  readonly platforms?: string[];

  /**
   * External cache sources, e.g. `type=gha` (`cache-from`, one per line).
   * @default - none
   */
  readonly cacheFrom?: string[];

  /**
   * Cache export destinations, e.g. `type=gha,mode=max` (`cache-to`, one per line).
   * @default - none
   */
  readonly cacheTo?: string[];

  /**
   * Stage to build (`target`).
   * @default - the last stage
   */
  readonly target?: string;

  /**
   * Build secrets, e.g. `GIT_AUTH_TOKEN=${{ secrets.TOKEN }}` (`secrets`,
   * one per line).
   * @default - none
   */
  readonly secrets?: string[];

  /**
   * Provenance attestation: `false`, `true`, `mode=max` (`provenance`).
   * @default - BuildKit's default (mode=min for pushed images)
   */
  readonly provenance?: string;

  /**
   * SBOM attestation: `false` or `true` (`sbom`).
   * @default - none
   */
  readonly sbom?: string;

  /**
   * Whether to always pull newer versions of base images (`pull`).
   * @default false
   */
  readonly pull?: boolean;

  /**
   * Whether to build without cache (`no-cache`).
   * @default false
   */
  readonly noCache?: boolean;

  /**
   * Build outputs, e.g. `type=local,dest=out` (`outputs`, one per line).
   * @default - none
   */
  readonly outputs?: string[];
}

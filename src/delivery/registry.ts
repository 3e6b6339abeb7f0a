import { Secret } from './secret';
import { Image, RegistryKind } from '../core/application';

/** How the pipeline logs in to a container registry before pushing. */
export enum RegistryLoginKind {
  /** `docker/login-action` with a user name and a password/token secret. */
  PASSWORD = 'password',
  /** GHCR with the workflow's `GITHUB_TOKEN` (adds `packages: write`). */
  GITHUB_TOKEN = 'github-token',
  /** Google Artifact Registry through `google-github-actions/auth` and `gcloud auth configure-docker`. */
  GOOGLE = 'google',
}

/** Options of a password login. */
export interface PasswordRegistryLoginOptions {
  /** Secret holding the user name. */
  readonly username: Secret;
  /** Secret holding the password or access token. */
  readonly password: Secret;
  /**
   * Registry host.
   * @default - Docker Hub
   */
  readonly registry?: string;
}

/** Options of a Google Artifact Registry login. */
export interface GoogleRegistryLoginOptions {
  /**
   * Workload Identity provider.
   * @default - `${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}`
   */
  readonly workloadIdentityProvider?: string;
  /**
   * Service account to impersonate.
   * @default - `${{ vars.GCP_SERVICE_ACCOUNT }}`
   */
  readonly serviceAccount?: string;
  /**
   * A service-account JSON key secret instead of Workload Identity.
   * @default - Workload Identity Federation
   */
  readonly credentials?: Secret;
}

/**
 * How the build job logs in to the registry it pushes images to.
 */
export class RegistryLogin {
  /** Docker Hub or another registry with a user name and password/token from secrets. */
  public static password(options: PasswordRegistryLoginOptions): RegistryLogin {
    return new RegistryLogin(RegistryLoginKind.PASSWORD, options.registry, options.username, options.password, undefined);
  }

  /** GitHub Container Registry with the workflow token. */
  public static githubToken(): RegistryLogin {
    return new RegistryLogin(RegistryLoginKind.GITHUB_TOKEN, 'ghcr.io', undefined, undefined, undefined);
  }

  /** Google Artifact Registry (keyless by default). */
  public static google(options: GoogleRegistryLoginOptions = {}): RegistryLogin {
    return new RegistryLogin(RegistryLoginKind.GOOGLE, undefined, undefined, undefined, options);
  }

  /**
   * The conventional login for an image's registry: Docker Hub with the
   * `DOCKER_USERNAME`/`DOCKER_PASSWORD` secrets, GHCR with the workflow
   * token, Google with Workload Identity.
   */
  public static forImage(image: Image): RegistryLogin {
    switch (image.registryKind) {
      case RegistryKind.GHCR: return RegistryLogin.githubToken();
      case RegistryKind.GOOGLE: return RegistryLogin.google();
      case RegistryKind.DOCKER_HUB: return RegistryLogin.password({ username: Secret.github('DOCKER_USERNAME'), password: Secret.github('DOCKER_PASSWORD') });
      default: return RegistryLogin.password({
        registry: image.registry,
        username: Secret.github('REGISTRY_USERNAME'),
        password: Secret.github('REGISTRY_PASSWORD'),
      });
    }
  }

  /** The kind of login. */
  public readonly kind: RegistryLoginKind;
  /** Registry host (password and token logins). */
  public readonly registry?: string;
  /** User name secret. */
  public readonly username?: Secret;
  /** Password secret. */
  public readonly passwordSecret?: Secret;
  /** Google options. */
  public readonly googleOptions?: GoogleRegistryLoginOptions;

  private constructor(kind: RegistryLoginKind, registry: string | undefined, username: Secret | undefined, password: Secret | undefined,
    google: GoogleRegistryLoginOptions | undefined) {
    this.kind = kind;
    this.registry = registry;
    this.username = username;
    this.passwordSecret = password;
    this.googleOptions = google;
  }
}

import type * as wf from './workflows-model';
import { Duration } from '../core/duration';
import { ENV_NAME } from '../core/names';
import { NotASecret, secretShapeIn } from '../core/secret-literal';
import { invalid } from '../core/strict';

/**
 * A Docker health check of a service container, rendered to the
 * `--health-cmd`, `--health-interval`, `--health-timeout` and
 * `--health-retries` options. The runner waits for a healthy service before
 * the job's steps start.
 */
export interface ServiceHealthCheck {
  /** The command run inside the container; exit code 0 is healthy, e.g. `pg_isready`. */
  readonly command: string;

  /**
   * Time between checks.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Time one check may take.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive failures before the container is unhealthy.
   * @default 5
   */
  readonly retries?: number;

  /**
   * Time the container may take to start before failures count.
   * @default - none
   */
  readonly startPeriod?: Duration;
}

/** Credentials to pull a container image from a private registry. */
export interface ContainerCredentials {
  /** The user name; an expression such as `Expression.secret('REGISTRY_USER').toString()`. */
  readonly username: string;
  /** The password; an expression such as `Expression.secret('REGISTRY_TOKEN').toString()`. */
  readonly password: string;
}

/** Options of a container. */
export interface ContainerOptions {
  /** Environment variables of the container. @default - none */
  readonly env?: { [name: string]: string };

  /**
   * Ports to publish, as Docker spells them: `"5432:5432"` (host:container)
   * or `"5432"`. Publish a service's port when steps run on the runner host
   * and connect to `localhost`.
   * @default - none
   */
  readonly ports?: string[];

  /** Volumes, as `source:destination`. @default - none */
  readonly volumes?: string[];

  /** Credentials for a private registry. @default - anonymous pull */
  readonly credentials?: ContainerCredentials;

  /** A health check, rendered to `--health-*` options. @default - no health check */
  readonly healthCheck?: ServiceHealthCheck;

  /** Further `docker create` options, e.g. `["--cpus 1"]`. @default - none */
  readonly options?: string[];

  /**
   * Overrides the image's `ENTRYPOINT` (`entrypoint:`). Service containers
   * only: GitHub rejects it on a job's `container`.
   * @default - the image's entrypoint
   */
  readonly entrypoint?: string;

  /**
   * Overrides the image's `CMD` (`command:`), e.g. `--port 6380`. Service
   * containers only: GitHub rejects it on a job's `container`.
   * @default - the image's command
   */
  readonly command?: string;
}

/** Options of the PostgreSQL service factory. */
export interface PostgresServiceOptions {
  /**
   * `POSTGRES_PASSWORD`. A throwaway password for a CI-only database is
   * conventional, and slipway's secret literal check lets a literal through
   * here (unless it is shaped like a credential); pass
   * `Expression.secret('...').toString()` to use a secret.
   * @default "postgres"
   */
  readonly password?: string;

  /** `POSTGRES_USER`. @default - the image's default user, "postgres" */
  readonly user?: string;

  /** `POSTGRES_DB`. @default - the image's default database, named like the user */
  readonly database?: string;

  /** Ports to publish. Pass `[]` when steps run in a container job and reach the service by name. @default ["5432:5432"] */
  readonly ports?: string[];

  /** Further environment variables. @default - none */
  readonly env?: { [name: string]: string };

  /** The health check. @default - `pg_isready` every 10s, timeout 5s, 5 retries */
  readonly healthCheck?: ServiceHealthCheck;

  /**
   * The environment variable a check that uses the service sets to its
   * {@link ServiceContainer.url} (on every step of the check's job; the
   * check's own `env` wins, and of two services naming the same variable
   * the first sets it). Pass `""` to set none.
   * @default "DATABASE_URL"
   */
  readonly urlEnv?: string;
}

/** Options of the Redis service factory. */
export interface RedisServiceOptions {
  /** Ports to publish. Pass `[]` when steps run in a container job and reach the service by name. @default ["6379:6379"] */
  readonly ports?: string[];

  /** The health check. @default - `redis-cli ping` every 10s, timeout 5s, 5 retries */
  readonly healthCheck?: ServiceHealthCheck;

  /**
   * The environment variable a check that uses the service sets to its
   * {@link ServiceContainer.url}. Pass `""` to set none.
   * @default "REDIS_URL"
   */
  readonly urlEnv?: string;
}

/** How a service is reached: its scheme, credentials, container port and path. */
interface Endpoint {
  readonly scheme: string;
  readonly userinfo?: string;
  readonly containerPort: number;
  readonly path?: string;
  readonly urlEnv?: string;
}

/**
 * A container: a service container of a job (`services:`) or the container a
 * job's steps run in (`container:`).
 * @see https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idservices
 */
export class ServiceContainer {
  /**
   * Any image.
   * @param image e.g. `mysql:8.4`
   */
  public static of(image: string, options: ContainerOptions = {}): ServiceContainer {
    return new ServiceContainer(image, options);
  }

  /**
   * PostgreSQL (`postgres:<version>`) with a `pg_isready` health check and
   * port 5432 published.
   * @param version the image tag, e.g. `15`
   */
  public static postgres(version: string, options: PostgresServiceOptions = {}): ServiceContainer {
    const user = options.user ?? 'postgres';
    // the password of a CI-only database is a throwaway: not a secret, unless it is shaped like a credential
    const password = options.password ?? 'postgres';
    if (secretShapeIn(password) === undefined) NotASecret.value(password);
    return new ServiceContainer(`postgres:${version}`, {
      env: {
        POSTGRES_USER: options.user,
        POSTGRES_PASSWORD: password,
        POSTGRES_DB: options.database,
        ...options.env,
      } as { [name: string]: string },
      ports: options.ports ?? ['5432:5432'],
      healthCheck: options.healthCheck ?? { command: 'pg_isready' },
    }, {
      scheme: 'postgresql',
      userinfo: `${urlPart(user)}:${urlPart(password)}`,
      containerPort: 5432,
      path: urlPart(options.database ?? user),
      urlEnv: options.urlEnv ?? 'DATABASE_URL',
    });
  }

  /**
   * Redis (`redis:<version>`) with a `redis-cli ping` health check and port
   * 6379 published.
   * @param version the image tag, e.g. `7` or `7-alpine`
   */
  public static redis(version: string, options: RedisServiceOptions = {}): ServiceContainer {
    return new ServiceContainer(`redis:${version}`, {
      ports: options.ports ?? ['6379:6379'],
      healthCheck: options.healthCheck ?? { command: 'redis-cli ping' },
    }, { scheme: 'redis', containerPort: 6379, urlEnv: options.urlEnv ?? 'REDIS_URL' });
  }

  /** The image. */
  public readonly image: string;

  /**
   * The connection URL from a job's steps on the runner, e.g.
   * `postgresql://postgres:postgres@localhost:5432/postgres` or
   * `redis://localhost:6379` (the published host port). Without published
   * ports, steps in a container job reach the service by its id (`postgres`,
   * `redis`). Set for `postgres` and `redis`; undefined for `of()` and when
   * a port is published to a random host port.
   */
  public readonly url?: string;

  /**
   * The environment variable a check that uses the service sets to `url`.
   * @default - none for `of()`; `DATABASE_URL` for `postgres`, `REDIS_URL` for `redis`
   */
  public readonly urlEnv?: string;

  private constructor(image: string, private readonly options: ContainerOptions, private readonly endpoint?: Endpoint) {
    // reported by the job that receives the service, with every other problem
    if (image.trim() === '') invalid(this, 'ServiceContainer needs an image, e.g. "postgres:15"');
    const retries = options.healthCheck?.retries;
    if (retries !== undefined && (!Number.isInteger(retries) || retries < 1)) {
      invalid(this, `ServiceContainer "${image}": healthCheck.retries must be an integer ≥ 1, got ${retries}`);
    }
    this.image = image;
    if (endpoint?.urlEnv !== undefined && endpoint.urlEnv !== '' && !ENV_NAME.test(endpoint.urlEnv)) {
      invalid(this, `ServiceContainer "${image}": urlEnv "${endpoint.urlEnv}" is not an environment variable name; use letters, digits and "_", e.g. "DATABASE_URL"`);
    }
    this.urlEnv = endpoint?.urlEnv === '' ? undefined : endpoint?.urlEnv;
    this.url = this._urlFor(serviceName(image));
  }

  /**
   * The connection URL when the service's id in its job is `id`: the host
   * is `localhost` when the container port is published to a fixed host
   * port, the service id when no port is published; undefined otherwise.
   * @internal
   */
  public _urlFor(id: string): string | undefined {
    const e = this.endpoint;
    if (!e) return undefined;
    const ports = this.options.ports ?? [];
    let hostPort: string | undefined;
    let host = 'localhost';
    if (ports.length === 0) {
      host = id;
      hostPort = String(e.containerPort);
    } else {
      const mapping = ports.map((p) => p.split(':')).find((parts) => parts.length >= 2 && parts[parts.length - 1].split('/')[0] === String(e.containerPort));
      if (!mapping) return undefined;
      hostPort = mapping[mapping.length - 2];
    }
    return `${e.scheme}://${e.userinfo ? `${e.userinfo}@` : ''}${host}:${hostPort}${e.path !== undefined ? `/${e.path}` : ''}`;
  }

  /**
   * What GitHub rejects in this container where it is used: `what` names it
   * in messages; entrypoint and command exist for services only.
   * @internal
   */
  public _problems(what: string, isService: boolean): string[] {
    const problems: string[] = [];
    for (const key of ['entrypoint', 'command'] as const) {
      const v = this.options[key];
      if (v === undefined) continue;
      if (!isService) problems.push(`${what} (${this.image}) sets "${key}", which GitHub accepts on service containers only; bake it into the image, or run the image as a service`);
      else if (v.trim() === '') problems.push(`${what} (${this.image}) has an empty "${key}"; give a value, or leave it out for the image's own`);
    }
    return problems;
  }

  /**
   * @param image the reference to render: the image, or the image pinned by digest
   * @internal
   */
  public _toWire(image: string = this.image): wf.Container {
    const o = this.options;
    const options: string[] = [];
    const hc = o.healthCheck;
    if (hc) {
      options.push(`--health-cmd ${shellWord(hc.command)}`);
      options.push(`--health-interval ${(hc.interval ?? Duration.seconds(10)).toSeconds()}s`);
      options.push(`--health-timeout ${(hc.timeout ?? Duration.seconds(5)).toSeconds()}s`);
      options.push(`--health-retries ${hc.retries ?? 5}`);
      if (hc.startPeriod) options.push(`--health-start-period ${hc.startPeriod.toSeconds()}s`);
    }
    options.push(...(o.options ?? []));
    const env = o.env ? Object.fromEntries(Object.entries(o.env).filter(([, v]) => v !== undefined)) : undefined;
    return {
      image,
      credentials: o.credentials ? { username: o.credentials.username, password: o.credentials.password } : undefined,
      env: env && Object.keys(env).length > 0 ? env : undefined,
      ports: o.ports && o.ports.length > 0 ? [...o.ports] : undefined,
      volumes: o.volumes && o.volumes.length > 0 ? [...o.volumes] : undefined,
      options: options.length > 0 ? options.join(' ') : undefined,
      entrypoint: o.entrypoint,
      command: o.command,
    };
  }
}

/** The service id a job gives the first service of an image: `postgres:15` → `postgres`, `ghcr.io/acme/cache-db:1` → `cache-db`. @internal */
export function serviceName(image: string): string {
  const name = image.split('@')[0].split('/').pop()!.split(':')[0];
  const id = name.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z_]+/, '');
  return id === '' ? 'service' : id;
}

/** A URL part: expressions as written, anything else percent-encoded. */
function urlPart(s: string): string {
  return s.includes('${{') ? s : encodeURIComponent(s);
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

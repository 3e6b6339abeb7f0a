const PIN_HOST_SYMBOL = Symbol.for('slipway.pin-host');

/**
 * Set by `slipway pin` before it loads a definition file, so that it learns
 * every action the definition creates. A global symbol, because the
 * definition file may load its own copy of this module.
 * @internal
 */
export interface PinHost {
  /** `owner/repo[/path]@version` of every repository action created, with its opt-outs. */
  readonly actions: PinRequest[];
}

/** One action the definition created. @internal */
export interface PinRequest {
  readonly repository: string;
  readonly version: string;
  /** The action carries its own SHA: nothing to pin. */
  readonly inlineSha: boolean;
  /** The action opted out of pinning. */
  readonly allowUnpinned: boolean;
}

/** @internal */
export function pinHost(): PinHost | undefined {
  return (globalThis as any)[PIN_HOST_SYMBOL];
}

/** @internal */
export function setPinHost(host: PinHost | undefined): void {
  (globalThis as any)[PIN_HOST_SYMBOL] = host;
}

/** Records a repository action with the pin host, if `slipway pin` installed one. @internal */
export function registerWithPinHost(action: {
  readonly repository: string;
  readonly version: string;
  readonly sha?: string;
  readonly allowUnpinned: boolean;
}): void {
  pinHost()?.actions.push({
    repository: action.repository,
    version: action.version,
    inlineSha: action.sha !== undefined,
    allowUnpinned: action.allowUnpinned,
  });
}

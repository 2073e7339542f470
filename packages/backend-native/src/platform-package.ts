/** The targets a platform package is published for (`napi.targets` in package.json), by `<os>-<cpu>[-<abi>]`. */
const publishedTargets = [
  "linux-x64-gnu",
  "linux-x64-musl",
  "linux-arm64-gnu",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64-msvc",
] as const;

/** What the napi loader looks for on a machine: the platform package's suffix and whether we publish it. */
export interface PlatformTarget {
  /** `<os>-<cpu>[-<abi>]`, as in the loader's file and package names (e.g. `linux-x64-gnu`). */
  readonly triple: string;
  /** `@zerobus/backend-native-<triple>`. */
  readonly packageName: string;
  /** Whether a prebuilt binary is published for it. */
  readonly published: boolean;
}

function isMusl(): boolean {
  // The napi loader's own first test: a glibc Node reports the glibc it runs on.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime === undefined;
}

/** The platform package the napi loader resolves on this machine (or on the one described). */
export function platformTarget(
  platform: string = process.platform,
  arch: string = process.arch,
  musl: () => boolean = isMusl,
): PlatformTarget {
  let triple = `${platform}-${arch}`;
  if (platform === "linux") triple += musl() ? "-musl" : "-gnu";
  else if (platform === "win32") triple += "-msvc";
  return {
    triple,
    packageName: `@zerobus/backend-native-${triple}`,
    published: (publishedTargets as readonly string[]).includes(triple),
  };
}

/** An error's message; duck-typed, since a loader run in another realm makes errors of another `Error`. */
function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

/** Whether `error` is the loader failing to find `specifier` itself (not one of its imports). */
function isNotFound(error: unknown, specifier: string): boolean {
  // The loader re-creates each error with only its message (`createLoadErrorChain`), so no `code` survives.
  return messageOf(error)?.startsWith(`Cannot find module '${specifier}`) ?? false;
}

/**
 * The sentence a failed load reports, from the errors of the loader's chain: which package is missing, or
 * that it is present but did not load (and why), or that no binary is published for this platform. No
 * "build it with cargo": npm users get no Rust sources.
 */
export function describeLoadFailure(target: PlatformTarget, errors: readonly unknown[]): string {
  const where = target.triple;
  if (!target.published)
    return `no prebuilt native binary is published for ${where} (no package ${target.packageName})`;
  const packageErrors = errors.filter((error) => messageOf(error)?.includes(target.packageName));
  const missing = packageErrors.length === 0 || packageErrors.every((e) => isNotFound(e, target.packageName));
  if (missing)
    return (
      `the native binary for ${where} is not installed: the optional dependency ${target.packageName} ` +
      "is missing (installed with optional dependencies omitted, or from a lockfile made on another " +
      "platform: reinstall with optional dependencies)"
    );
  const reason = packageErrors
    .map(messageOf)
    .find((message) => !message?.startsWith("Cannot find module '@"));
  return `${target.packageName} is installed but its binary failed to load${reason ? `: ${reason}` : ""}`;
}

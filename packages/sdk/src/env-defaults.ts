import { isZerobusError, ZerobusError } from "@zerobus/core";

/** Environment variable read when `new ZerobusSdk()` is given no endpoint. */
export const ZEROBUS_ENDPOINT_ENV = "ZEROBUS_SERVER_ENDPOINT";
/** Environment variable read when `new ZerobusSdk()` is given no workspace URL (as the Databricks SDKs do). */
export const WORKSPACE_URL_ENV = "DATABRICKS_HOST";

/** The constructor's arguments once the defaults are applied, with where the endpoint came from. */
export interface ConstructorArguments {
  endpoint: unknown;
  /** `ZEROBUS_SERVER_ENDPOINT` when read from there, for error messages. */
  endpointFrom: string | undefined;
  unityCatalogUrl: unknown;
  options: unknown;
}

/** An environment variable's value; empty or blank counts as unset, as in the Databricks SDKs. */
function fromEnv(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Sorts out `new ZerobusSdk(options?)` from `new ZerobusSdk(endpoint?, unityCatalogUrl?, options?)` and
 * fills what is omitted (`undefined`) from {@link ZEROBUS_ENDPOINT_ENV} and {@link WORKSPACE_URL_ENV}, read
 * now: an SDK does not change endpoint when the environment does.
 */
export function constructorArguments(
  first: unknown,
  unityCatalogUrl: unknown,
  options: unknown,
): ConstructorArguments {
  const optionsFirst =
    typeof first === "object" && first !== null && unityCatalogUrl === undefined && options === undefined;
  const endpointArgument = optionsFirst ? undefined : first;
  const endpoint = endpointArgument ?? fromEnv(ZEROBUS_ENDPOINT_ENV);
  if (endpoint === undefined) {
    throw new ZerobusError(
      "invalid_argument",
      `no Zerobus endpoint: pass it as the first argument of new ZerobusSdk(…) or set ${ZEROBUS_ENDPOINT_ENV} (https://<workspace-id>.zerobus.<region>.cloud.databricks.com)`,
    );
  }
  return {
    endpoint,
    endpointFrom: endpointArgument === undefined ? ZEROBUS_ENDPOINT_ENV : undefined,
    unityCatalogUrl: optionsFirst
      ? fromEnv(WORKSPACE_URL_ENV)
      : (unityCatalogUrl ?? fromEnv(WORKSPACE_URL_ENV)),
    options: optionsFirst ? first : options,
  };
}

/** Runs `parse`, naming the variable a refused value came from so the user knows where to fix it. */
export function fromVariable<T>(variable: string | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (variable === undefined || !isZerobusError(error)) throw error;
    throw new ZerobusError(error.code, `${variable}: ${error.rawMessage}`, {
      cause: error,
      retryable: false,
    });
  }
}

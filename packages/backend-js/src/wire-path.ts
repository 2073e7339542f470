/**
 * The method path of the stream (`@zerobus/proto` exports the same constant; importing that package loads
 * the generated schema, which the connection no longer needs: a test checks the two agree).
 */
export const EPHEMERAL_STREAM_PATH = "/databricks.zerobus.Zerobus/EphemeralStream";
